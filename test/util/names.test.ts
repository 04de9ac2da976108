import { describe, expect, it } from "vitest";
import { normalizeName, splitWords } from "../../src/util/names.js";

describe("normalizeName", () => {
  it.each([
    ["broadcast_to_user", "broadcast_to_user", false],
    ["broadcastToUser", "broadcast_to_user", false],
    ["BroadcastToUser", "broadcast_to_user", false],
    ["_legacy_broadcast_to_user", "broadcast_to_user", true],
    ["broadcastToUserLegacy", "broadcast_to_user", true],
    ["broadcast_to_user_v2", "broadcast_to_user", true],
    ["broadcastToUserV2", "broadcast_to_user", true],
    ["old_broadcast_to_user", "broadcast_to_user", true],
    ["broadcast_to_user_compat", "broadcast_to_user", true],
    ["broadcast_to_user_fallback", "broadcast_to_user", true],
    ["send_email2", "send_email", true],
    ["send_email_2", "send_email", true],
    ["pushToUserCompat2", "push_to_user", true],
    ["send_email_new", "send_email", false],
    ["send_email_impl", "send_email", false],
    ["HTTPServerLegacy", "http_server", true],
    ["legacy", "legacy", false],
    ["sha256", "sha_256", false],
    ["decode_utf16", "decode_utf_16", false],
  ])("%s → %s (legacy: %s)", (name, key, legacy) => {
    expect(normalizeName(name)).toEqual({ key, legacy });
  });

  it("keeps different capabilities apart", () => {
    expect(normalizeName("broadcast_to_room").key).not.toBe(normalizeName("broadcast_to_user").key);
    expect(normalizeName("sha1").key).not.toBe(normalizeName("sha256").key);
  });

  it("splits identifiers across styles", () => {
    expect(splitWords("parseHTTPResponse_v2")).toEqual(["parse", "http", "response", "v2"]);
    expect(splitWords("__init__")).toEqual(["init"]);
  });
});
