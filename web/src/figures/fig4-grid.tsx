// One of Fig. 4's 2×2 heat-maps as an accessible HTML table: rows digit/blank, columns grayscale/coloured,
// each cell coloured by GS Lab's value (fig4-cells.ts) with the paper's value underneath.
import type { Fig4Probes } from "../../../shared/metrics/cmnist-forward";
import type { Fig4Reference } from "../../../shared/protocols/colored-mnist";
import { FIG4_COLUMNS, FIG4_ROWS, QUANTITIES, fig4Cells, type Fig4Quantity } from "./fig4-cells";

interface Props {
  readonly quantity: Fig4Quantity;
  readonly probes: Fig4Probes | null;
  readonly reference: Fig4Reference | null;
  readonly protocolId: string;
  /** Shown in place of GS Lab's value until the probes exist ("…" while computing, "no run" without one). */
  readonly pendingText?: string;
}

export function Fig4Grid({ quantity, probes, reference, protocolId, pendingText = "…" }: Props) {
  const cells = fig4Cells(quantity, probes, reference);
  return (
    <table class="fig4-grid" data-testid="fig4-grid" data-protocol={protocolId} data-quantity={quantity} data-ready={String(probes !== null)}>
      <caption>{QUANTITIES[quantity].title}</caption>
      <thead>
        <tr>
          <td />
          {FIG4_COLUMNS.map((c) => (
            <th scope="col" key={c.key}>
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {FIG4_ROWS.map((row, r) => (
          <tr key={row.key}>
            <th scope="row">{row.label}</th>
            {cells[r]!.map((cell) => (
              <td
                key={cell.probe}
                class="fig4-cell"
                style={{ background: cell.fill, color: cell.ink }}
                data-testid="fig4-cell"
                data-probe={cell.probe}
                data-value={cell.value ?? undefined}
              >
                <span class="fig4-value">{probes ? cell.text : pendingText}</span>
                <span class="fig4-paper">{reference ? `paper ${cell.paperText}` : "no paper value"}</span>
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
