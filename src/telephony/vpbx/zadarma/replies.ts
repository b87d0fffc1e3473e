// What Zadarma accepts back from a NOTIFY_START (JSON body).

export interface ZadarmaStartReply { caller_name?: string; redirect?: string; return_timeout?: number }

/**
 * Names the caller on the employee's phone and optionally sends the call to
 * an extension or scenario (`redirect`), falling back to the PBX's own
 * routing after `returnTimeout` seconds. Nothing known → {} (routing as usual).
 */
export function zadarmaStartReply(p: { callerName?: string | null; redirect?: string | null; returnTimeout?: number }): ZadarmaStartReply {
  const out: ZadarmaStartReply = {};
  if (p.callerName) out.caller_name = p.callerName;
  if (p.redirect) {
    out.redirect = p.redirect;
    if (p.returnTimeout !== undefined) out.return_timeout = Math.trunc(p.returnTimeout);
  }
  return out;
}
