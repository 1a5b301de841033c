// The launcher's command line: PORT [HOST] [--tokeninfo URL --readers EMAIL,... --writers EMAIL,...].
"use strict";

function parseArguments(args) {
  const positional = [];
  const options = { tokeninfo: null, readers: [], writers: [] };
  for (let i = 0; i < args.length; i++) {
    if (!args[i].startsWith("--")) {
      positional.push(args[i]);
      continue;
    }
    const name = args[i].slice(2);
    const value = args[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    if (name === "tokeninfo") {
      if (!/^https?:\/\//.test(value)) throw new Error(`--tokeninfo '${value}' is not an http(s) URL`);
      options.tokeninfo = value;
    } else if (name === "readers" || name === "writers") {
      options[name] = value.split(",").map((s) => s.trim()).filter((s) => s);
    } else {
      throw new Error(`unknown option --${name}`);
    }
  }
  if (positional.length < 1 || positional.length > 2) throw new Error("give PORT and at most HOST");
  const port = Number(positional[0]);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`PORT '${positional[0]}' is not a port number`);
  if (!options.tokeninfo && (options.readers.length || options.writers.length)) throw new Error("--readers and --writers need --tokeninfo");
  if (options.tokeninfo && !options.readers.length && !options.writers.length) throw new Error("--tokeninfo needs --readers or --writers: nobody could use the bucket");
  return { port, host: positional[1] || "127.0.0.1", ...options };
}

module.exports = { parseArguments };
