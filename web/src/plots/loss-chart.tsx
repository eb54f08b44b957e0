// The loss curve (uPlot, log-scale y): live points while training, the exact loss history once done.
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { LossCurve } from "../lab/training-state";
import { logTickLabels } from "./line-plot-draw";

interface Props {
  readonly curve: LossCurve;
  readonly totalSteps: number;
}

const HEIGHT = 220;

export function LossChart({ curve, totalSteps }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(
    () => () => {
      plot.current?.destroy();
      plot.current = null;
    },
    [totalSteps],
  );

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    if (curve.steps.length < 2) {
      // A new run started: drop the previous run's curve until this one has points.
      plot.current?.destroy();
      plot.current = null;
      return;
    }
    const data: uPlot.AlignedData = [Float64Array.from(curve.steps), Float64Array.from(curve.losses)];
    if (plot.current) {
      plot.current.setData(data);
      return;
    }
    plot.current = new uPlot(
      {
        width: Math.max(element.clientWidth, 200),
        height: HEIGHT,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false, range: [0, Math.max(totalSteps - 1, 1)] }, y: { distr: 3 } },
        axes: [
          { label: "step", stroke: "#333" },
          // uPlot would print 1e-4 as "0": label the log axis's ticks as the other plots do.
          { label: "loss (log scale)", stroke: "#333", size: 60, values: (_u, splits) => logTickLabels(splits) },
        ],
        series: [{}, { label: "loss", stroke: "#0365C0", width: 1.5, points: { show: false } }],
      },
      data,
      element,
    );
  }, [curve, totalSteps]);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(element.clientWidth, 200), height: HEIGHT }));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  return (
    <div class="loss-chart" role="img" aria-label="Training loss against step, log scale">
      {curve.steps.length < 2 && <p class="muted placeholder">The loss curve appears after the first steps.</p>}
      {/* uPlot owns this element's children; preact never renders into it. */}
      <div ref={box} />
    </div>
  );
}
