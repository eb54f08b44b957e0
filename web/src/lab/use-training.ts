// The Lab's controller: asks the server for a workunit (again with a Turnstile token when the server asks for a
// challenge), runs it (or a practice run) in the training worker, pauses and resumes it, keeps long runs'
// checkpoints in this browser and resumes them, submits the result, and warns before the tab is closed while
// work would be lost.
import { useCallback, useEffect, useReducer, useRef } from "preact/hooks";
import type { RunMeta, Workunit } from "../../../shared/api";
import { ApiError } from "../../../shared/client/api-client";
import { findProtocol } from "../../../shared/protocols/registry";
import { api } from "../api";
import { contributorKey } from "../contributor";
import { serializeError } from "../errors";
import type { BackendChoice } from "../routes";
import { startTraining, type TrainingHandle } from "../train/trainer";
import type { TrainJob } from "../train/messages";
import type { SavedRun } from "./checkpoint-store";
import { initialTraining, isBusy, reduceTraining, type TrainingState } from "./training-state";
import { useSavedRuns, type SavedRuns } from "./use-saved-runs";

export interface TrainingControls {
  readonly state: TrainingState;
  /** POST /api/workunits, then train it; `onWorkunit` runs once the server has picked the seed. */
  requestWorkunit(protocolId: string, backend: BackendChoice, contributor: string | undefined, onWorkunit: (workunit: Workunit) => void): Promise<void>;
  /** Asks again for the workunit the server answered with a challenge (phase "challenge"), with its solved token. */
  answerChallenge(turnstileToken: string): Promise<void>;
  /**
   * Trains an already issued (unused) workunit again, e.g. after a cancel or a backend failure; a long run
   * continues from its latest checkpoint in this browser when there is one.
   */
  retrainWorkunit(workunit: Workunit, backend: BackendChoice, contributor: string | undefined): Promise<void>;
  /** Continues a saved unfinished run on the backend it was started with. */
  resumeSaved(run: SavedRun): void;
  practice(protocolId: string, seed: number, backend: BackendChoice): void;
  /** Stops the run; a long run's saved checkpoint is deleted (pause keeps it). */
  cancel(): void;
  pause(): void;
  resume(): void;
  /** Unfinished runs kept in this browser (Colored MNIST). */
  readonly saved: SavedRuns;
  submit(contributor: string | undefined): Promise<void>;
  reset(): void;
}

export function useTraining(): TrainingControls {
  const [state, dispatch] = useReducer(reduceTraining, initialTraining);
  const handle = useRef<TrainingHandle | null>(null);
  const latest = useRef(state);
  latest.current = state;
  const saved = useSavedRuns();
  const savedRef = useRef(saved);
  savedRef.current = saved;

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
    const kept = job.kind === "workunit" && keepsCheckpoints(job.workunit) ? job.workunit.workunitId : null;
    handle.current = startTraining(job, backend, (message) => {
      if (kept && message.type === "checkpoint") void savedRef.current.saveCheckpoint(kept, message.checkpoint);
      // A cancelled run is abandoned; a failed one keeps its checkpoint, to be resumed.
      if (kept && message.type === "cancelled") void savedRef.current.discard(kept);
      dispatch({ type: "worker", message });
    });
  }, []);

  /** Starts a workunit job, first recording it in this browser when its checkpoints are kept. */
  const runWorkunit = useCallback(
    async (workunit: Workunit, backend: BackendChoice, contributor: string | undefined, resume?: SavedRun): Promise<void> => {
      // Recorded again on resume too: the backend may have changed, and the record may have been discarded meanwhile.
      if (keepsCheckpoints(workunit)) await savedRef.current.keep(workunit, contributor, backend, resume?.checkpoint ?? null);
      const resumeFrom = resume?.checkpoint ?? undefined;
      run({ kind: "workunit", workunit, ...(contributor ? { contributor } : {}), ...(resumeFrom ? { resumeFrom } : {}) }, backend);
    },
    [run],
  );

  /** The workunit request being made, kept while the server asks for a challenge to be solved first. */
  const pending = useRef<{ protocolId: string; backend: BackendChoice; contributor: string | undefined; onWorkunit: (workunit: Workunit) => void } | null>(null);

  const fetchWorkunit = useCallback(
    async (turnstileToken?: string): Promise<void> => {
      const request = pending.current;
      if (!request) return;
      dispatch({ type: "request-workunit", protocolId: request.protocolId });
      let workunit: Workunit;
      try {
        workunit = await api.workunit(request.protocolId, turnstileToken);
      } catch (error) {
        if (error instanceof ApiError && error.challenge) {
          dispatch({ type: "challenge", challenge: error.challenge, refusal: turnstileToken ? error.message : null });
          return;
        }
        pending.current = null;
        dispatch({ type: "failed", error: serializeError(error), during: "workunit" });
        return;
      }
      pending.current = null;
      dispatch({ type: "workunit", workunit });
      request.onWorkunit(workunit);
      await runWorkunit(workunit, request.backend, request.contributor);
    },
    [runWorkunit],
  );

  const requestWorkunit = useCallback<TrainingControls["requestWorkunit"]>(
    (protocolId, backend, contributor, onWorkunit) => {
      pending.current = { protocolId, backend, contributor, onWorkunit };
      return fetchWorkunit();
    },
    [fetchWorkunit],
  );

  // Each token is single-use: one request per solved challenge.
  const answerChallenge = useCallback<TrainingControls["answerChallenge"]>(
    (turnstileToken) => (latest.current.phase === "challenge" ? fetchWorkunit(turnstileToken) : Promise.resolve()),
    [fetchWorkunit],
  );

  const resumeSaved = useCallback<TrainingControls["resumeSaved"]>(
    (savedRun) => {
      const { workunit, checkpoint } = savedRun;
      dispatch({ type: "request-workunit", protocolId: workunit.protocolId });
      const curve = checkpoint ? { steps: [...checkpoint.historySteps], losses: [...checkpoint.lossHistory] } : { steps: [], losses: [] };
      dispatch({ type: "workunit", workunit, resume: { step: checkpoint?.step ?? 0, curve } });
      void runWorkunit(workunit, savedRun.backend, savedRun.contributor ?? undefined, savedRun);
    },
    [runWorkunit],
  );

  const retrainWorkunit = useCallback<TrainingControls["retrainWorkunit"]>(
    async (workunit, backend, contributor) => {
      const savedRun = keepsCheckpoints(workunit) ? await savedRef.current.get(workunit.workunitId) : undefined;
      if (savedRun?.checkpoint) return resumeSaved({ ...savedRun, backend, contributor: contributor ?? null });
      dispatch({ type: "request-workunit", protocolId: workunit.protocolId });
      dispatch({ type: "workunit", workunit });
      await runWorkunit(workunit, backend, contributor);
    },
    [runWorkunit, resumeSaved],
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
    const key = contributorKey();
    const meta: RunMeta = { ...rest, ...(contributor ? { contributor } : {}), ...(key ? { contributorKey: key } : {}) };
    dispatch({ type: "submit" });
    try {
      const record = await api.submitRun(meta, current.run.weights, current.run.checkpoints);
      // The token is spent: there is nothing left to resume.
      if (current.workunit) await savedRef.current.discard(current.workunit.workunitId);
      dispatch({ type: "submitted", record });
    } catch (error) {
      dispatch({ type: "failed", error: serializeError(error), during: "submit" });
    }
  }, []);

  const cancel = useCallback(() => handle.current?.cancel(), []);
  const pause = useCallback(() => {
    handle.current?.pause();
    dispatch({ type: "pause" });
  }, []);
  const resume = useCallback(() => {
    handle.current?.resume();
    dispatch({ type: "resume" });
  }, []);
  const reset = useCallback(() => {
    pending.current = null;
    handle.current?.dispose();
    handle.current = null;
    dispatch({ type: "reset" });
  }, []);

  return { state, requestWorkunit, answerChallenge, retrainWorkunit, resumeSaved, practice, cancel, pause, resume, submit, reset, saved };
}

/** Long runs (Colored MNIST) keep checkpoints in this browser; two-moons and toy runs take seconds and keep none. */
export const keepsCheckpoints = (workunit: Workunit): boolean => findProtocol(workunit.protocolId)?.family === "colored-mnist";
