// The Lab's controller: asks the server for a workunit, runs it (or a practice run) in the training
// worker, submits the result, and warns before the tab is closed while work would be lost.
import { useCallback, useEffect, useReducer, useRef } from "preact/hooks";
import type { RunMeta, Workunit } from "../../../shared/api";
import { api } from "../api";
import { serializeError } from "../errors";
import type { BackendChoice } from "../routes";
import { startTraining, type TrainingHandle } from "../train/trainer";
import type { TrainJob } from "../train/messages";
import { initialTraining, isBusy, reduceTraining, type TrainingState } from "./training-state";

export interface TrainingControls {
  readonly state: TrainingState;
  /** POST /api/workunits, then train it; `onWorkunit` runs once the server has picked the seed. */
  requestWorkunit(protocolId: string, backend: BackendChoice, contributor: string | undefined, onWorkunit: (workunit: Workunit) => void): Promise<void>;
  /** Trains an already issued (unused) workunit again, e.g. after a cancel or a backend failure. */
  retrainWorkunit(workunit: Workunit, backend: BackendChoice, contributor: string | undefined): void;
  practice(protocolId: string, seed: number, backend: BackendChoice): void;
  cancel(): void;
  submit(contributor: string | undefined): Promise<void>;
  reset(): void;
}

export function useTraining(): TrainingControls {
  const [state, dispatch] = useReducer(reduceTraining, initialTraining);
  const handle = useRef<TrainingHandle | null>(null);
  const latest = useRef(state);
  latest.current = state;

  useEffect(() => () => handle.current?.dispose(), []);

  useEffect(() => {
    if (!isBusy(state)) return;
    const warn = (event: BeforeUnloadEvent): void => {
      event.preventDefault();
      event.returnValue = "Training is in progress; leaving the page loses it.";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [isBusy(state)]);

  const run = useCallback((job: TrainJob, backend: BackendChoice) => {
    handle.current?.dispose();
    handle.current = startTraining(job, backend, (message) => dispatch({ type: "worker", message }));
  }, []);

  const requestWorkunit = useCallback<TrainingControls["requestWorkunit"]>(
    async (protocolId, backend, contributor, onWorkunit) => {
      dispatch({ type: "request-workunit", protocolId });
      let workunit: Workunit;
      try {
        workunit = await api.workunit(protocolId);
      } catch (error) {
        dispatch({ type: "failed", error: serializeError(error), during: "workunit" });
        return;
      }
      dispatch({ type: "workunit", workunit });
      onWorkunit(workunit);
      run({ kind: "workunit", workunit, ...(contributor ? { contributor } : {}) }, backend);
    },
    [run],
  );

  const retrainWorkunit = useCallback<TrainingControls["retrainWorkunit"]>(
    (workunit, backend, contributor) => {
      dispatch({ type: "request-workunit", protocolId: workunit.protocolId });
      dispatch({ type: "workunit", workunit });
      run({ kind: "workunit", workunit, ...(contributor ? { contributor } : {}) }, backend);
    },
    [run],
  );

  const practice = useCallback<TrainingControls["practice"]>(
    (protocolId, seed, backend) => {
      dispatch({ type: "start-practice", protocolId, seed });
      run({ kind: "practice", protocolId, seed }, backend);
    },
    [run],
  );

  const submit = useCallback(async (contributor: string | undefined) => {
    const current = latest.current;
    if (current.phase !== "done" || current.mode !== "workunit" || !current.run) return;
    const { contributor: _trained, ...rest } = current.run.meta;
    const meta: RunMeta = contributor ? { ...rest, contributor } : rest;
    dispatch({ type: "submit" });
    try {
      dispatch({ type: "submitted", record: await api.submitRun(meta, current.run.weights) });
    } catch (error) {
      dispatch({ type: "failed", error: serializeError(error), during: "submit" });
    }
  }, []);

  const cancel = useCallback(() => handle.current?.cancel(), []);
  const reset = useCallback(() => {
    handle.current?.dispose();
    handle.current = null;
    dispatch({ type: "reset" });
  }, []);

  return { state, requestWorkunit, retrainWorkunit, practice, cancel, submit, reset };
}
