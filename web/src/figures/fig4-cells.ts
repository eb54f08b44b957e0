// Why: the pure content of Fig. 4's 2×2 heat-maps (rows digit/blank, columns grayscale/coloured): each cell's
// GS Lab value and the paper's, its text, and its colour on the project's RdBu colour map — kept out of the
// component so it can be tested.
import type { Fig4Probes } from "../../../shared/metrics/cmnist-forward";
import type { Fig4Reference } from "../../../shared/protocols/colored-mnist";
import { DASH } from "../format";
import { rdbu, type Rgb } from "../plots/colormap";

export type Fig4Quantity = "accuracy" | "entropy";
export type Fig4Row = "digit" | "blank";
export type Fig4Column = "gray" | "coloured";
export type Fig4ProbeKey = keyof Fig4Probes;

export const FIG4_ROWS: readonly { readonly key: Fig4Row; readonly label: string }[] = [
  { key: "digit", label: "Digit" },
  { key: "blank", label: "Blank" },
];
export const FIG4_COLUMNS: readonly { readonly key: Fig4Column; readonly label: string }[] = [
  { key: "gray", label: "Grayscale" },
  { key: "coloured", label: "Coloured" },
];

export const probeKey = (row: Fig4Row, column: Fig4Column): Fig4ProbeKey =>
  `${row}${column === "gray" ? "Gray" : "Coloured"}` as Fig4ProbeKey;

/** The largest mean binary entropy, ln 2 nats (p = ½ everywhere). */
export const MAX_ENTROPY = Math.LN2;

/** How each quantity is titled above its grid, and its unit. */
export const QUANTITIES: Readonly<Record<Fig4Quantity, { readonly title: string; readonly unit: string }>> = {
  accuracy: { title: "Accuracy (%)", unit: "%" },
  entropy: { title: "Mean binary entropy (nats)", unit: "nats" },
};

/**
 * A cell's colour: accuracy diverges around chance (red below 50 %, white at 50 %, blue above), entropy runs
 * from white (certain, 0 nats) to dark blue (ln 2, a coin toss). Non-finite values get the panel grey.
 */
export function cellColour(quantity: Fig4Quantity, value: number | null): Rgb {
  if (value === null || !Number.isFinite(value)) return [246, 247, 248];
  return quantity === "accuracy" ? rdbu(value / 100) : rdbu(0.5 + (0.5 * Math.min(Math.max(value, 0), MAX_ENTROPY)) / MAX_ENTROPY);
}

/** Black or white text, whichever reads better on `fill` (WCAG relative luminance). */
export function inkFor(fill: Rgb): "#000000" | "#ffffff" {
  const linear = fill.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * linear[0]! + 0.7152 * linear[1]! + 0.0722 * linear[2]!;
  // Contrast with black (L + 0.05) / 0.05 against with white 1.05 / (L + 0.05): equal at L ≈ 0.179.
  return luminance > 0.179 ? "#000000" : "#ffffff";
}

export const cssColour = (rgb: Rgb): string => `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})`;

/** "63.3 %" or "0.54"; "—" when absent. */
export function formatProbe(quantity: Fig4Quantity, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return DASH;
  return quantity === "accuracy" ? `${value.toFixed(1)} %` : value.toFixed(2);
}

export interface Fig4Cell {
  readonly row: Fig4Row;
  readonly column: Fig4Column;
  readonly probe: Fig4ProbeKey;
  /** GS Lab's value in display units (accuracy in percent, entropy in nats), or null until computed. */
  readonly value: number | null;
  /** The paper's value in the same units, or null where the paper has no Fig. 4 for the method. */
  readonly paper: number | null;
  readonly text: string;
  readonly paperText: string;
  readonly fill: string;
  readonly ink: string;
}

/** The 2×2 cells, rows digit then blank, columns grayscale then coloured. */
export function fig4Cells(quantity: Fig4Quantity, probes: Fig4Probes | null, reference: Fig4Reference | null): Fig4Cell[][] {
  return FIG4_ROWS.map(({ key: row }) =>
    FIG4_COLUMNS.map(({ key: column }) => {
      const probe = probeKey(row, column);
      const measured = probes ? probes[probe][quantity] : null;
      const value = measured === null ? null : quantity === "accuracy" ? measured * 100 : measured;
      const paper = reference ? reference[probe][quantity] : null;
      const fill = cellColour(quantity, value);
      return {
        row,
        column,
        probe,
        value,
        paper,
        text: formatProbe(quantity, value),
        paperText: formatProbe(quantity, paper),
        fill: cssColour(fill),
        ink: inkFor(fill),
      };
    }),
  );
}
