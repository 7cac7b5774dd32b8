// A web dyno: answers on $PORT, shows which dyno and release served the request.
const express = require("express");

const app = express();
app.get("/", (req, res) => {
  res.type("text").send(`Hello from ${process.env.DYNO} (GREETING=${process.env.GREETING ?? "unset"})\n`);
});
app.get("/headers", (req, res) => res.json(req.headers));

const port = Number(process.env.PORT ?? 5006);
app.listen(port, () => console.log(`listening on ${port}`));
