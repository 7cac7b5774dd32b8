// Answers HTTP on $PORT, as a Heroku web dyno must. DYNO names the dyno on the platform; PS does
// under hoku start, as under heroku local.
const http = require("node:http");

const port = Number(process.env.PORT);
const server = http.createServer((req, res) => {
  console.log(`${req.method} ${req.url}`);
  res.setHeader("content-type", "text/plain");
  const database = process.env.DATABASE_URL ? process.env.DATABASE_URL.replace(/:[^:@/]*@/, ":***@") : "none";
  res.end(`Hello from ${process.env.DYNO ?? process.env.PS} (${process.env.GREETING})\nDATABASE_URL: ${database}\n`);
});
server.listen(port, () => console.log(`listening on port ${port}`));
process.on("SIGTERM", () => {
  console.log("SIGTERM: closing the server");
  server.close(() => process.exit(0));
});
