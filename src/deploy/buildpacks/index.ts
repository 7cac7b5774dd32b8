/**
 * hoku's built-in classic buildpacks, embedded in the binary as text: each one is the files of a
 * real buildpack (bin/detect, bin/compile, bin/release, its lib/ and profile/ scripts), written
 * out at run time by builtin-buildpacks.ts. The list's order is the detection order, Heroku's
 * (ruby, nodejs, python, go), with heroku/procfile last for an app that is only a Procfile.
 *
 * The files under common/ are shared: every buildpack gets them as lib/<name>.
 * A new file of a buildpack must be imported and listed here, or the binary will not have it.
 */
import envDir from "./common/env-dir.sh" with { type: "text" };
import output from "./common/output.sh" with { type: "text" };
import treeCache from "./common/tree-cache.sh" with { type: "text" };
import goCompile from "./go/bin/compile" with { type: "text" };
import goDetect from "./go/bin/detect" with { type: "text" };
import goRelease from "./go/bin/release" with { type: "text" };
import nodeCompile from "./nodejs/bin/compile" with { type: "text" };
import nodeDetect from "./nodejs/bin/detect" with { type: "text" };
import nodeRelease from "./nodejs/bin/release" with { type: "text" };
import nodePackageManager from "./nodejs/lib/package-manager.sh" with { type: "text" };
import nodeRuntime from "./nodejs/lib/runtime.sh" with { type: "text" };
import nodeProfile from "./nodejs/profile/nodejs.sh" with { type: "text" };
import procfileCompile from "./procfile/bin/compile" with { type: "text" };
import procfileDetect from "./procfile/bin/detect" with { type: "text" };
import procfileRelease from "./procfile/bin/release" with { type: "text" };
import pythonCompile from "./python/bin/compile" with { type: "text" };
import pythonDetect from "./python/bin/detect" with { type: "text" };
import pythonRelease from "./python/bin/release" with { type: "text" };
import pythonDependencies from "./python/lib/dependencies.sh" with { type: "text" };
import pythonRelocate from "./python/lib/relocate.sh" with { type: "text" };
import pythonRuntime from "./python/lib/runtime.sh" with { type: "text" };
import pythonProfile from "./python/profile/python.sh" with { type: "text" };
import rubyCompile from "./ruby/bin/compile" with { type: "text" };
import rubyDetect from "./ruby/bin/detect" with { type: "text" };
import rubyRelease from "./ruby/bin/release" with { type: "text" };
import rubyProfile from "./ruby/profile/ruby.sh" with { type: "text" };

/** One built-in buildpack: its Heroku name and its files by path inside the buildpack. */
export interface BuiltinBuildpack {
  /** The name Heroku knows it by (`heroku/nodejs`). */
  readonly name: string;
  /** Its files, by relative path (`bin/compile`), as text. Files under bin/ are made executable. */
  readonly files: Readonly<Record<string, string>>;
}

const common = { "lib/output.sh": output, "lib/env-dir.sh": envDir, "lib/tree-cache.sh": treeCache };
const bin = (detect: string, compile: string, release: string) => ({ "bin/detect": detect, "bin/compile": compile, "bin/release": release });

/** The built-ins, in detection order. */
export const BUILTIN_BUILDPACKS: readonly BuiltinBuildpack[] = [
  { name: "heroku/ruby", files: { ...common, ...bin(rubyDetect, rubyCompile, rubyRelease), "profile/ruby.sh": rubyProfile } },
  {
    name: "heroku/nodejs",
    files: {
      ...common,
      ...bin(nodeDetect, nodeCompile, nodeRelease),
      "lib/runtime.sh": nodeRuntime,
      "lib/package-manager.sh": nodePackageManager,
      "profile/nodejs.sh": nodeProfile,
    },
  },
  {
    name: "heroku/python",
    files: {
      ...common,
      ...bin(pythonDetect, pythonCompile, pythonRelease),
      "lib/runtime.sh": pythonRuntime,
      "lib/dependencies.sh": pythonDependencies,
      "lib/relocate.sh": pythonRelocate,
      "profile/python.sh": pythonProfile,
    },
  },
  { name: "heroku/go", files: { ...common, ...bin(goDetect, goCompile, goRelease) } },
  { name: "heroku/procfile", files: bin(procfileDetect, procfileCompile, procfileRelease) },
];
