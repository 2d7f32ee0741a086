/**
 * Stable error codes of the REST API, shared by server, console and widget.
 * Every error body is `{ error: { code, message } }`; clients switch on `code`, never on `message`.
 */
export const ERROR_CODES = {
  validation_error: 400,
  /** A new password breaks the policy; `details.problem` says how (PASSWORD_PROBLEMS). */
  weak_password: 400,
  /** A two-factor code that is wrong, expired or already used. */
  invalid_code: 400,
  invalid_json: 400,
  bad_request: 400,
  /** A JSON body nests objects or arrays deeper than the server accepts (64 levels). */
  payload_too_deep: 400,
  unauthorized: 401,
  session_expired: 401,
  invalid_credentials: 401,
  /** The password was right; finish the sign-in with a code (`details.pendingToken`). */
  two_factor_required: 401,
  invalid_signature: 401,
  /** The API token's expiresAt has passed. */
  token_expired: 401,
  forbidden: 403,
  csrf_failed: 403,
  /** A read-scoped API token tried a method other than GET or HEAD. */
  token_read_only: 403,
  /** The password was set by an admin: only changing it (POST /me/password) is allowed until then. */
  password_change_required: 403,
  /** The account requires two-factor sign-in: only enrolling (/me/2fa) is allowed until then. */
  two_factor_enrollment_required: 403,
  not_found: 404,
  conflict: 409,
  /** The contact was merged into another (`details.mergedInto`); reads of it answer 301 with Location. */
  contact_merged: 409,
  /** The conversation was merged into another (`details.mergedInto`); reads of it answer 301 with Location. */
  conversation_merged: 409,
  /** The e-mail and password open several accounts: send again with one of `details.accounts` as accountId. */
  account_choice_required: 409,
  body_too_large: 413,
  unsupported_media_type: 415,
  window_closed: 422,
  /** The contact opted out on this channel (e.g. texted STOP): nothing may be sent to them there. */
  opted_out: 422,
  /**
   * A note @mentions someone who cannot see the conversation (another team, inactive, not in the account);
   * `details.users[]` = {userId, reason: 'not_a_member' | 'inactive' | 'cannot_see'}.
   */
  mention_not_allowed: 422,
  /** Conversations of different contacts cannot be merged (merge the contacts first). */
  not_same_contact: 422,
  /** A split names no message. */
  nothing_selected: 422,
  /** A split names a message that is not in this conversation (`details.messageIds`). */
  message_not_in_conversation: 422,
  /** A split would move every message: the conversation would be left empty. */
  cannot_move_all_messages: 422,
  rate_limited: 429,
  /** Widget: this address has sent its day's allowance of files to the chat (details.retryAfterSeconds). */
  upload_ip_quota_exceeded: 429,
  /** Widget: the channel's storage for visitor files is full (details.quotaBytes). */
  upload_channel_quota_exceeded: 413,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId?: string; details?: unknown };
}
