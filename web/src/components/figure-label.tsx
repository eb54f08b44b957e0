// A paper figure label ("Fig. 3", "Table 1, Fig. 4") with each part that has a figure page linked to it.
import { figurePagesOf, figureUrl, pageOfFigureName } from "../routes";

export function FigureLabel({ label }: { readonly label: string }) {
  const parts = label.split(",").map((part) => part.trim());
  // A label none of whose parts has a page stays plain text.
  if (figurePagesOf(label).length === 0) return <>{label}</>;
  return (
    <>
      {parts.map((part, k) => {
        const page = pageOfFigureName(part);
        return (
          <span key={part}>
            {k > 0 && ", "}
            {page ? <a href={figureUrl(page)}>{part}</a> : part}
          </span>
        );
      })}
    </>
  );
}
