// Median, min and max of repeated timings.
export function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: sorted.length };
}

export function formatSeconds({ median, min, max }) {
  return `${median.toFixed(2)} s (${min.toFixed(2)}-${max.toFixed(2)})`;
}
