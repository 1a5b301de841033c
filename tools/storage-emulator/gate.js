// Cloud Storage's access check, put in front of the emulator (which checks nothing): every request needs a
// bearer token the sandbox's OAuth endpoint vouches for (its tokeninfo), of an account allowed to read
// (GET, HEAD) or to write (anything else), with a scope that covers it. Answers as Cloud Storage does:
// 401 without a valid token, 403 for a valid one that may not. Tokens are never logged.
"use strict";

const SCOPE = "https://www.googleapis.com/auth/";
const READ_SCOPES = ["cloud-platform", "cloud-platform.read-only", "devstorage.read_only", "devstorage.read_write", "devstorage.full_control"].map((s) => SCOPE + s);
const WRITE_SCOPES = ["cloud-platform", "devstorage.read_write", "devstorage.full_control"].map((s) => SCOPE + s);

const refusal = (status, reason, message) => ({ status, reason, message });

function createGate({ tokeninfo, readers, writers }) {
  return async function authorize(request) {
    const write = !["GET", "HEAD"].includes(request.method);
    const permission = write ? "storage.objects.create" : "storage.objects.get";
    const match = /^Bearer (\S+)$/.exec(request.headers.authorization || "");
    if (!match) {
      return refusal(401, "required", `Anonymous caller does not have ${permission} access to the Google Cloud Storage object. Permission '${permission}' denied on resource (or it may not exist).`);
    }
    let info;
    try {
      const answer = await fetch(tokeninfo, { method: "POST", body: new URLSearchParams({ access_token: match[1] }) });
      if (answer.status === 400) return refusal(401, "authError", "Invalid Credentials");
      if (!answer.ok) return refusal(503, "backendError", `the token check at ${tokeninfo} answered ${answer.status}`);
      info = await answer.json();
    } catch (error) {
      return refusal(503, "backendError", `the token check at ${tokeninfo} failed: ${error.message}`);
    }
    const scopes = String(info.scope || "").split(" ");
    if (!scopes.some((s) => (write ? WRITE_SCOPES : READ_SCOPES).includes(s))) {
      return refusal(403, "insufficientPermissions", "Request had insufficient authentication scopes.");
    }
    if (!(writers.includes(info.email) || (!write && readers.includes(info.email)))) {
      return refusal(403, "forbidden", `${info.email} does not have ${permission} access to the Google Cloud Storage object. Permission '${permission}' denied on resource (or it may not exist).`);
    }
    return null;
  };
}

// Wraps a request handler (the emulator's express app) so it only sees authorized requests.
function guard(authorize, handler) {
  return (request, response) => {
    authorize(request).then(
      (refused) => {
        if (!refused) return handler(request, response);
        const body = { error: { code: refused.status, message: refused.message, errors: [{ message: refused.message, domain: "global", reason: refused.reason }] } };
        const headers = { "Content-Type": "application/json; charset=UTF-8" };
        if (refused.status === 401) headers["WWW-Authenticate"] = 'Bearer realm="https://accounts.google.com/"';
        response.writeHead(refused.status, headers);
        response.end(JSON.stringify(body));
      },
      (error) => {
        response.writeHead(500, { "Content-Type": "text/plain" });
        response.end(`storage gate: ${error.message}`);
      },
    );
  };
}

module.exports = { createGate, guard };
