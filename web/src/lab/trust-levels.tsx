// What the trust levels a run can reach mean, in a few plain sentences, to open where the words appear
// (the Lab's submission outcome, the Replay page, Fig. 4): a <details>, so it works by tap and keyboard alike.

export function TrustLevels({ open = false }: { readonly open?: boolean }) {
  return (
    <details class="trust-levels" data-testid="trust-levels" open={open}>
      <summary>What do pending, recomputed, replayed and reproduced mean?</summary>
      <dl>
        <dt>pending</dt>
        <dd>Accepted by the server, but other contributors have not yet replayed the drawn segments of its training; it counts nowhere until they have.</dd>
        <dt>recomputed</dt>
        <dd>The server rebuilt the data from the seed and recomputed every metric from the submitted weights.</dd>
        <dt>replayed</dt>
        <dd>Also, segments of its training, drawn at random, were trained again from its checkpoints (by the server or by peers) and ended where the run did.</dd>
        <dt>reproduced</dt>
        <dd>Two independent contributors ran the same seed and got the same result.</dd>
        <dt>disputed</dt>
        <dd>Replays or two contributors' runs of the seed disagree: the run is flagged and not counted.</dd>
      </dl>
    </details>
  );
}
