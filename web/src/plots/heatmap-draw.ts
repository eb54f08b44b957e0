// Drawing the paper's two-moons figure on a canvas: the output grid as RdBu filled bands, the zero contour
// (decision boundary) in black, the training points in their class colours, and the [-2, 2]² axes.
import { GRID_HALF_WIDTH, GRID_SIZE, gridAxis, zeroContour } from "../../../shared/metrics/boundary";
import { bandColor, CLASS_COLORS, symmetricRange } from "./colormap";

export interface FigureData {
  /** Output on the 100×100 grid, index i*100 + j = f(x1 = axis[i], x2 = axis[j]); null draws no heat-map. */
  readonly grid: ArrayLike<number> | null;
  /** Training points, n×2 row-major, and their labels. */
  readonly points?: { readonly x: ArrayLike<number>; readonly y: ArrayLike<number> } | null;
  /** Draw the decision boundary thicker (the seed-averaged figure). */
  readonly boldContour?: boolean;
}

/** Where the plot area sits in a square canvas of `size` pixels (room for tick labels left and below). */
export interface Frame {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

export function frameOf(size: number, scale: number): Frame {
  const left = 34 * scale;
  const bottom = 30 * scale;
  const pad = 8 * scale;
  return { left, top: pad, width: size - left - pad, height: size - bottom - pad };
}

/** Canvas coordinates of the data point (x1, x2): x1 to the right, x2 upwards, [-2, 2]² filling the frame. */
export function toCanvas(frame: Frame, x1: number, x2: number): [number, number] {
  const span = 2 * GRID_HALF_WIDTH;
  return [frame.left + ((x1 + GRID_HALF_WIDTH) / span) * frame.width, frame.top + ((GRID_HALF_WIDTH - x2) / span) * frame.height];
}

/** The decision function between grid points, by bilinear interpolation of the 100×100 grid. */
export function sampleGrid(grid: ArrayLike<number>, x1: number, x2: number): number {
  const n = GRID_SIZE;
  const toIndex = (x: number): number => Math.min(n - 1, Math.max(0, ((x + GRID_HALF_WIDTH) / (2 * GRID_HALF_WIDTH)) * (n - 1)));
  const fi = toIndex(x1);
  const fj = toIndex(x2);
  const i = Math.min(n - 2, Math.floor(fi));
  const j = Math.min(n - 2, Math.floor(fj));
  const ti = fi - i;
  const tj = fj - j;
  const v00 = grid[i * n + j]!;
  const v10 = grid[(i + 1) * n + j]!;
  const v01 = grid[i * n + j + 1]!;
  const v11 = grid[(i + 1) * n + j + 1]!;
  return (1 - ti) * ((1 - tj) * v00 + tj * v01) + ti * ((1 - tj) * v10 + tj * v11);
}

/**
 * RGBA pixels of the filled contours for a plot area of width × height pixels covering [-2, 2]²: pixel
 * (px, py) shows the interpolated value at its centre, x1 growing to the right and x2 upwards.
 */
export function fieldPixels(grid: ArrayLike<number>, width: number, height: number, range = symmetricRange(grid)): Uint8ClampedArray<ArrayBuffer> {
  const pixels = new Uint8ClampedArray(width * height * 4);
  const span = 2 * GRID_HALF_WIDTH;
  for (let py = 0; py < height; py++) {
    const x2 = GRID_HALF_WIDTH - ((py + 0.5) / height) * span;
    for (let px = 0; px < width; px++) {
      const x1 = -GRID_HALF_WIDTH + ((px + 0.5) / width) * span;
      const [r, g, b] = bandColor(sampleGrid(grid, x1, x2), range);
      const k = 4 * (py * width + px);
      pixels[k] = r;
      pixels[k + 1] = g;
      pixels[k + 2] = b;
      pixels[k + 3] = 255;
    }
  }
  return pixels;
}

export function drawFigure(ctx: CanvasRenderingContext2D, size: number, scale: number, data: FigureData): void {
  const frame = frameOf(size, scale);
  ctx.clearRect(0, 0, size, size);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, size, size);
  ctx.save();
  ctx.beginPath();
  ctx.rect(frame.left, frame.top, frame.width, frame.height);
  ctx.clip();
  if (data.grid && data.grid.length === GRID_SIZE * GRID_SIZE) {
    // Filled contours at the canvas's own resolution (smooth band edges, no upscaled staircase).
    const width = Math.round(frame.width);
    const height = Math.round(frame.height);
    ctx.putImageData(new ImageData(fieldPixels(data.grid, width, height), width, height), Math.round(frame.left), Math.round(frame.top));
    const segments = zeroContour(data.grid, gridAxis());
    ctx.strokeStyle = "#111111";
    ctx.lineWidth = (data.boldContour ? 3 : 2) * scale;
    ctx.lineCap = "round";
    ctx.beginPath();
    for (let s = 0; s < segments.length; s += 4) {
      ctx.moveTo(...toCanvas(frame, segments[s]!, segments[s + 1]!));
      ctx.lineTo(...toCanvas(frame, segments[s + 2]!, segments[s + 3]!));
    }
    ctx.stroke();
  } else {
    ctx.fillStyle = "#f4f4f4";
    ctx.fillRect(frame.left, frame.top, frame.width, frame.height);
  }
  if (data.points) {
    const { x, y } = data.points;
    // Full-size figures keep the paper's marker; small panels (the Fig. 3 grid) get smaller ones.
    const radius = Math.min(3.2 * scale, frame.width / 80);
    ctx.lineWidth = 0.9 * scale;
    ctx.strokeStyle = "#1b1b1b";
    for (let i = 0; i < y.length; i++) {
      const [cx, cy] = toCanvas(frame, x[2 * i]!, x[2 * i + 1]!);
      ctx.fillStyle = CLASS_COLORS[y[i] === 1 ? 1 : 0];
      ctx.beginPath();
      ctx.arc(cx, cy, radius, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
  }
  ctx.restore();
  drawAxes(ctx, frame, scale);
}

function drawAxes(ctx: CanvasRenderingContext2D, frame: Frame, scale: number): void {
  ctx.strokeStyle = "#444444";
  ctx.lineWidth = scale;
  ctx.strokeRect(frame.left, frame.top, frame.width, frame.height);
  ctx.fillStyle = "#333333";
  ctx.font = `${11 * scale}px system-ui, sans-serif`;
  for (const tick of [-2, -1, 0, 1, 2]) {
    const [tx] = toCanvas(frame, tick, 0);
    const [, ty] = toCanvas(frame, 0, tick);
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.fillText(String(tick), tx, frame.top + frame.height + 4 * scale);
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    ctx.fillText(String(tick), frame.left - 5 * scale, ty);
  }
  ctx.textAlign = "center";
  ctx.textBaseline = "bottom";
  ctx.fillText("x₁", frame.left + frame.width / 2, frame.top + frame.height + 29 * scale);
  ctx.save();
  ctx.translate(frame.left - 24 * scale, frame.top + frame.height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = "middle";
  ctx.fillText("x₂", 0, 0);
  ctx.restore();
}
