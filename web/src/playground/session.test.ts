import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { historySteps } from "../../../shared/protocols/evidence";
import { trainMoons } from "../../../shared/nn/train";
import { PLAYGROUND_DEFAULTS, playgroundProtocol } from "../../../shared/protocols/playground";
import { twoMoonsFamily } from "../../../shared/protocols/two-moons-family";
import type { FromPlayground, PlaygroundUpdate } from "./playground-messages";
import { createPlaygroundSession } from "./session";

const updates = (messages: FromPlayground[]): PlaygroundUpdate[] => messages.filter((m): m is PlaygroundUpdate => m.type === "update");

/** Resolves once the session has posted an update that satisfies `done`. */
function waitFor(messages: FromPlayground[], done: (update: PlaygroundUpdate) => boolean): Promise<PlaygroundUpdate> {
  return new Promise((resolve) => {
    const poll = (): void => {
      const found = updates(messages).find(done);
      if (found) resolve(found);
      else setTimeout(poll, 5);
    };
    poll();
  });
}

describe("a playground session", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  it("waits at step 0, steps exactly, pauses with momentum kept, and snapshots in the history's layout", async () => {
    const messages: FromPlayground[] = [];
    const session = createPlaygroundSession(PLAYGROUND_DEFAULTS, 40, (message) => messages.push(message));
    const finished = session.run();

    const initial = await waitFor(messages, () => true);
    expect(initial).toMatchObject({ step: 0, running: false, finished: false });
    expect(initial.grid).toHaveLength(10_000);
    expect(initial.features[0]![0]).toBe(0);

    session.control({ type: "step", steps: 12 });
    const paused = await waitFor(messages, (u) => u.step === 12 && !u.running);
    expect(paused.grid).not.toBeNull();
    expect(paused.features.at(-1)![0]).toBe(12);
    const losses = updates(messages).flatMap((u) => u.losses);
    expect(losses.map(([step]) => step)).toEqual([0, 10]);

    const snapshot = await session.snapshot();
    expect(snapshot.step).toBe(12);
    expect(snapshot.weights).toHaveLength(2001);
    expect(snapshot.lossHistory).toHaveLength(historySteps(12, 10).length);
    expect(snapshot.lossHistory.slice(0, 2)).toEqual(losses.map(([, loss]) => loss));
    expect(snapshot.lossHistory.at(-1)!).toBeLessThan(snapshot.lossHistory[0]!);

    session.control({ type: "play" });
    await finished;
    const last = updates(messages).at(-1)!;
    expect(last).toMatchObject({ step: 40, running: false, finished: true });
    const end = await session.snapshot();
    expect(end.lossHistory).toHaveLength(historySteps(40, 10).length);

    // Pausing changed nothing: the same 40 steps without a pause end at the same weights.
    const protocol = playgroundProtocol(PLAYGROUND_DEFAULTS, 40);
    const data = twoMoonsFamily.dataset(protocol, 0);
    const straight = await trainMoons({ protocol, data, initialWeights: twoMoonsFamily.initialWeights(protocol, 0) });
    expect(Array.from(end.weights)).toEqual(Array.from(straight.weights));
  });
});
