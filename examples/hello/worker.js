// Prints a heartbeat every few seconds, as a background worker would do its jobs.
const every = Number(process.env.HEARTBEAT_SECONDS || 2) * 1000;
let beats = 0;
console.log(`worker ${process.env.DYNO ?? process.env.PS} starting; secret is ${process.env.SESSION_SECRET ? "set" : "missing"}`);
const timer = setInterval(() => console.log(`heartbeat ${++beats}`), every);
process.on("SIGTERM", () => {
  clearInterval(timer);
  console.log(`stopping after ${beats} heartbeats`);
  process.exit(0);
});
