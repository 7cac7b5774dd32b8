// Files embedded into the single binary with `import path from "..." with { type: "file" }`.
declare module "*.wasm" {
  const path: string;
  export default path;
}
declare module "*.data" {
  const path: string;
  export default path;
}
