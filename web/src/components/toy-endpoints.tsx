// The toy model's metrics as a reader wants them: one row per s1, the end points |z1| and |z2| in columns
// (a finished run, a leaderboard aggregate, or several side by side).
import { zKey } from "../../../shared/toy/family";

export interface EndPointColumn {
  readonly title: string;
  /** The text of the |z_component| cell for s1. */
  readonly cell: (component: 1 | 2, s1: number) => string;
}

interface Props {
  readonly s1Values: readonly number[];
  readonly columns: readonly EndPointColumn[];
  readonly caption?: string;
  readonly testId?: string;
}

export function ToyEndPoints({ s1Values, columns, caption, testId }: Props) {
  return (
    <div class="table-scroll">
      <table class="compact toy-endpoints" data-testid={testId}>
        {caption && <caption>{caption}</caption>}
        <thead>
          <tr>
            <th scope="col" class="num" rowSpan={2}>
              s1
            </th>
            {columns.map((c) => (
              <th scope="colgroup" colSpan={2} key={c.title}>
                {c.title}
              </th>
            ))}
          </tr>
          <tr>
            {columns.map((c) => [
              <th scope="col" class="num" key={`${c.title}-1`}>
                |z₁|
              </th>,
              <th scope="col" class="num" key={`${c.title}-2`}>
                |z₂|
              </th>,
            ])}
          </tr>
        </thead>
        <tbody>
          {s1Values.map((s1) => (
            <tr key={s1} data-s1={s1}>
              <th scope="row" class="num">
                {s1}
              </th>
              {columns.map((c) => [
                <td class="num" key={`${c.title}-1`} data-metric={zKey(1, s1)}>
                  {c.cell(1, s1)}
                </td>,
                <td class="num" key={`${c.title}-2`} data-metric={zKey(2, s1)}>
                  {c.cell(2, s1)}
                </td>,
              ])}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
