// Files embedded into the single binary with `import path from "..." with { type: "file" }`.
declare module "*.wasm" {
  const path: string;
  export default path;
}
declare module "*.data" {
  const path: string;
  export default path;
}

// Built-in buildpack scripts embedded as text with `import text from "..." with { type: "text" }`
// (src/deploy/buildpacks/index.ts): bash libraries and the extensionless bin/ scripts.
declare module "*.sh" {
  const text: string;
  export default text;
}
declare module "*/bin/detect" {
  const text: string;
  export default text;
}
declare module "*/bin/compile" {
  const text: string;
  export default text;
}
declare module "*/bin/release" {
  const text: string;
  export default text;
}
