// The decision-boundary figure as a responsive, high-DPI canvas (see heatmap-draw.ts for what is drawn).
import { useEffect, useRef, useState } from "preact/hooks";
import { drawFigure, type FigureData } from "./heatmap-draw";

interface Props extends FigureData {
  /** Accessible description of the picture. */
  readonly label: string;
  readonly testId?: string;
  /** Training step the grid belongs to (exposed as data-step for tests). */
  readonly step?: number | null;
}

export function Heatmap({ grid, points, boldContour, label, testId, step }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState(0);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const measure = (): void => setSize(Math.floor(Math.min(element.clientWidth, 460)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const element = canvas.current;
    if (!element || size === 0) return;
    const scale = window.devicePixelRatio || 1;
    element.width = Math.round(size * scale);
    element.height = Math.round(size * scale);
    const ctx = element.getContext("2d");
    if (ctx) drawFigure(ctx, element.width, scale, { grid, points: points ?? null, boldContour: boldContour ?? false });
  }, [grid, points, boldContour, size]);

  return (
    <div class="heatmap" ref={box}>
      <canvas
        ref={canvas}
        role="img"
        aria-label={label}
        data-testid={testId}
        data-step={step ?? undefined}
        data-has-grid={grid ? "true" : "false"}
        style={{ width: `${size}px`, height: `${size}px` }}
      />
    </div>
  );
}
