// Contributor names as the server keeps and compares them: one spelling per name that looks the same, so a
// zero-width or bidi control character can neither slip past moderation nor make a name display as another's.
/** Format characters (zero-width, joiners, bidi embeddings/overrides/isolates, BOM: Unicode Cf) and control characters (Cc). */
const INVISIBLE = /[\p{Cf}\p{Cc}]/gu;

/**
 * A name in the form it is stored, compared and shown: Unicode NFKC (full-width and compatibility letters to
 * their plain form), every run of whitespace one space, invisible format and control characters removed, trimmed.
 */
export const normaliseName = (name: string): string =>
  name.normalize("NFKC").replace(/\s+/gu, " ").replace(INVISIBLE, "").replace(/ {2,}/g, " ").trim();

/**
 * The key two names are compared by (moderation): the normalised name case-folded. Upper- then lower-casing
 * folds what lower-casing alone keeps apart (ß and SS, ſ and s, ς and σ); NFKC again recomposes what folding split.
 */
export const nameKey = (name: string): string => normaliseName(name).toUpperCase().toLowerCase().normalize("NFKC");
