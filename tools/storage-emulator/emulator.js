// Starts firebase-tools' internal Cloud Storage emulator, which serves the JSON API that
// Google.Cloud.Storage.V1 speaks (STORAGE_EMULATOR_HOST). `firebase emulators:start` cannot be
// used offline: it needs Java 21 and downloads a rules jar. Our clients only use the admin
// (JSON) API, which never consults Firebase security rules, so the rules runtime is a no-op.
"use strict";
const fs = require("fs");
const net = require("net");
const os = require("os");
const path = require("path");

// The emulator keeps blobs under os.tmpdir()/firebase and clears that folder when it starts: two
// emulators sharing it (the sandbox's and a test's) delete each other's objects. Each gets its own.
const privateTmp = fs.mkdtempSync(path.join(os.tmpdir(), "storage-emulator-"));
process.env.TMPDIR = privateTmp;
process.on("exit", () => fs.rmSync(privateTmp, { recursive: true, force: true }));
const { StorageEmulator } = require("firebase-tools/lib/emulator/storage");
const { EmulatorRegistry } = require("firebase-tools/lib/emulator/registry");

const { parseArguments } = require("./arguments");
const { createGate, guard } = require("./gate");

let options;
try {
  options = parseArguments(process.argv.slice(2));
} catch (error) {
  console.error(`storage emulator: ${error.message}`);
  console.error("usage: start.sh PORT [HOST] [--tokeninfo URL --readers EMAIL,... --writers EMAIL,...]");
  process.exit(2);
}
const { port, host } = options;

const emulator = new StorageEmulator({ projectId: "purchase-predict", host, port, rules: [] });
const noRules = {
  start: async () => ({ all: [] }),
  stop: async () => {},
  getRuleset: () => undefined,
};
emulator._rulesRuntime.start = async () => {};
emulator._rulesRuntime.stop = async () => {};
emulator._rulesManager = noRules;

// With --tokeninfo, the bucket is private: the emulator's app only sees requests the gate let through.
if (options.tokeninfo) {
  const server = require("firebase-tools/lib/emulator/storage/server");
  const createApp = server.createApp;
  const authorize = createGate(options);
  server.createApp = async (...args) => {
    const app = await createApp(...args);
    const gated = guard(authorize, app);
    gated.listen = (...listenArgs) => require("http").createServer(gated).listen(...listenArgs);
    return gated;
  };
}

// Object metadata builds its download links from the registry's host and port.
EmulatorRegistry.set(emulator.getName(), emulator);
// start() resolves before its server is bound, so "ready" waits until the port accepts connections.
const listening = (deadline) =>
  new Promise((resolve, reject) => {
    const socket = net.connect({ host, port }, () => {
      socket.destroy();
      resolve();
    });
    socket.on("error", () => {
      socket.destroy();
      if (Date.now() > deadline) reject(new Error("not listening after 30 s"));
      else setTimeout(() => listening(deadline).then(resolve, reject), 20);
    });
  });

emulator.start().then(() => listening(Date.now() + 30000)).then(
  () => console.log(`storage emulator ready on http://${host}:${port}${options.tokeninfo ? " (private: tokens checked at " + options.tokeninfo + ")" : ""}`),
  (error) => {
    console.error(`storage emulator failed to start on ${host}:${port}: ${error.message}`);
    process.exit(1);
  },
);

const stop = () => emulator.stop().finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
