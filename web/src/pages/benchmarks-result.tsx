// One benchmark result's page (/benchmarks/<id>): where it ran, each item's figure, its raw timings and the
// server's checks (end-state deviations, the lane and rows it drew); and two results side by side with their
// ratios (/benchmarks/compare?a=&b=).
import { BENCH_ITEM_INFO, BENCH_ITEMS } from "../../../shared/bench-api";
import { benchClient } from "../bench-client";
import { benchmarksUrl } from "../benchmarks-url";
import { ErrorBox, Loading } from "../components/status";
import { formatDate, formatDuration } from "../format";
import { useAsync } from "../use-async";
import { adapterText, formatFigure } from "./benchmarks-format";

export function BenchmarkPage({ id }: { readonly id: string }) {
  const data = useAsync(() => benchClient.result(id), [id]);
  if (data.status === "loading") return <Loading what="the benchmark result" />;
  if (data.status === "error") return <ErrorBox error={data.error} onRetry={data.reload} />;
  const result = data.data;
  const { facets } = result;
  return (
    <div class="benchmarks">
      <p class="breadcrumb">
        <a href={benchmarksUrl()}>Benchmark board</a> / result
      </p>
      <h1>Benchmark result</h1>
      <p class="lede">
        The standard suite on <strong data-testid="result-backend">{facets.backend}</strong>, submitted {formatDate(result.createdAt)}. Group on the board:{" "}
        <a href={benchmarksUrl({ backend: facets.backend, gpuVendor: facets.gpuVendor, browser: facets.browser, os: facets.os })}>results like it</a>.
      </p>
      <dl class="facts" data-testid="result-facts">
        <dt>GPU adapter</dt>
        <dd data-testid="result-adapter">{adapterText(facets)}</dd>
        <dt>Browser, OS</dt>
        <dd>
          {facets.browser}, {facets.os}
        </dd>
        <dt>tfjs</dt>
        <dd>{result.tfjsVersion}</dd>
        <dt>User agent</dt>
        <dd class="wrap">{result.userAgent}</dd>
        {BENCH_ITEMS.map((item) => [
          <dt key={`${item}-t`}>{BENCH_ITEM_INFO[item].label}</dt>,
          <dd key={`${item}-d`} data-testid={`result-${item}`} data-value={result.values[item]}>
            {formatFigure(result.values[item])} {BENCH_ITEM_INFO[item].unit}
          </dd>,
        ])}
        <dt>Timings</dt>
        <dd class="wrap">
          1 lane {formatDuration(result.timings.moons1Ms)} for {result.steps} steps; {result.lanes} lanes {formatDuration(result.timings.moons10Ms)}; Colored MNIST {formatDuration(result.timings.cmnistMs)}; matmul{" "}
          {result.matmulSize}×{result.matmulSize}: {result.timings.matmulMs.map((ms) => `${ms.toFixed(1)} ms`).join(", ")}; issued to submitted{" "}
          {formatDuration(result.timings.windowMs)}
        </dd>
        <dt>Checked by the server</dt>
        <dd class="wrap" data-testid="result-agreement">
          1-lane end state {result.agreement.moons1.toExponential(2)} from the float64 replay; lane {result.agreement.moons10Lane} of the batch (drawn after upload){" "}
          {result.agreement.moons10.toExponential(2)}; Colored-MNIST end state {result.agreement.cmnist.toExponential(2)}; product rows {result.agreement.matmulRows.join(", ")} recomputed, largest relative error{" "}
          {result.agreement.matmul.toExponential(2)}
        </dd>
      </dl>
    </div>
  );
}

export function BenchmarkComparePage({ a, b }: { readonly a: string | null; readonly b: string | null }) {
  const data = useAsync(() => (a && b ? Promise.all([benchClient.result(a), benchClient.result(b)]) : Promise.resolve(null)), [a, b]);
  if (!a || !b) {
    return (
      <div class="benchmarks">
        <h1>Compare two benchmark results</h1>
        <p>
          Pick two results on the <a href={benchmarksUrl()}>benchmark board</a> (tick two of the newest results).
        </p>
      </div>
    );
  }
  if (data.status === "loading") return <Loading what="the two benchmark results" />;
  if (data.status === "error") return <ErrorBox error={data.error} onRetry={data.reload} />;
  const [left, right] = data.data!;
  return (
    <div class="benchmarks">
      <p class="breadcrumb">
        <a href={benchmarksUrl()}>Benchmark board</a> / compare
      </p>
      <h1>Two benchmark results</h1>
      <div class="table-scroll">
        <table class="compact" data-testid="bench-compare">
          <thead>
            <tr>
              <th scope="col" />
              <th scope="col">
                <a href={`/benchmarks/${left.id}`}>A</a>
              </th>
              <th scope="col">
                <a href={`/benchmarks/${right.id}`}>B</a>
              </th>
              <th scope="col" class="num">
                A ÷ B
              </th>
            </tr>
          </thead>
          <tbody>
            <CompareText label="Backend" a={left.facets.backend} b={right.facets.backend} />
            <CompareText label="GPU adapter" a={adapterText(left.facets)} b={adapterText(right.facets)} />
            <CompareText label="Browser, OS" a={`${left.facets.browser}, ${left.facets.os}`} b={`${right.facets.browser}, ${right.facets.os}`} />
            <CompareText label="Submitted" a={formatDate(left.createdAt)} b={formatDate(right.createdAt)} />
            {BENCH_ITEMS.map((item) => (
              <tr key={item}>
                <th scope="row" class="wrap">
                  {BENCH_ITEM_INFO[item].label} ({BENCH_ITEM_INFO[item].unit})
                </th>
                <td class="num">{formatFigure(left.values[item])}</td>
                <td class="num">{formatFigure(right.values[item])}</td>
                <td class="num" data-testid={`compare-ratio-${item}`}>
                  {(left.values[item] / right.values[item]).toFixed(2)}×
                </td>
              </tr>
            ))}
            <CompareText label="1-lane end state vs float64" a={left.agreement.moons1.toExponential(2)} b={right.agreement.moons1.toExponential(2)} />
          </tbody>
        </table>
      </div>
    </div>
  );
}

function CompareText({ label, a, b }: { readonly label: string; readonly a: string; readonly b: string }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td class="wrap">{a}</td>
      <td class="wrap">{b}</td>
      <td />
    </tr>
  );
}

