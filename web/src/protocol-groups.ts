// Groups protocols (or leaderboard entries) by the paper figure they reproduce, keeping registry order,
// so every page lists experiments the way the paper presents them.

export interface FigureGroup<T> {
  readonly figure: string;
  readonly items: readonly T[];
}

export function groupByFigure<T>(items: readonly T[], figureOf: (item: T) => string): FigureGroup<T>[] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const figure = figureOf(item);
    const group = groups.get(figure);
    if (group) group.push(item);
    else groups.set(figure, [item]);
  }
  return [...groups].map(([figure, members]) => ({ figure, items: members }));
}
