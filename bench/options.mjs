// Options of the bench's analysis scripts (`trace.mjs`, `compiles.mjs`): `--name value` pairs
// taken out of the arguments, which leaves the positional ones.

/** Remove `name` and its value from `argv` and return the value (`dflt` when absent). */
export function takeOption(argv, name, dflt) {
  const i = argv.indexOf(name);
  if (i < 0) return dflt;
  const v = argv[i + 1];
  argv.splice(i, 2);
  return v;
}
