/** Times as the heroku CLI prints them: `2026/12/01 08:00:00 +0000 (~ 5m ago)`, in UTC. */

export function herokuTime(at: string | Date): string {
  const d = new Date(at);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export function ago(at: string | Date, now = new Date()): string {
  const s = Math.max(0, Math.round((now.getTime() - new Date(at).getTime()) / 1000));
  if (s < 60) return `~ ${s}s ago`;
  if (s < 3600) return `~ ${Math.round(s / 60)}m ago`;
  if (s < 86400) return `~ ${Math.round(s / 3600)}h ago`;
  return `~ ${Math.round(s / 86400)}d ago`;
}
