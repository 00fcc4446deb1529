# Fixpoint helpers for sh, bash and zsh scripts.
#
# The agent puts a `fixpoint` command on PATH (in $FIXPOINT_BIN) that sources this file, so scripts just call:
#   fixpoint output NAME VALUE           record an output; the action's declaration gives it its type
#   fixpoint output --json NAME JSON     record an output written as JSON (a list, a number, true/false)
#   fixpoint campaign ID [--timeout S] [--param k=v]...
#                                        show a campaign to the console user and wait; prints
#                                        {"status":…,"answers":{…},"freeText":{…}} and exits 0 only when it was
#                                        answered in full (10 declined, 11 postponed, 12 timeout, 13 expired,
#                                        14 no_user, 15 notification_failed, 3 could not start, 2 usage)
# Scripts may also source "$FIXPOINT_SH" and call the functions directly (fixpoint_output, fixpoint_campaign).
#
# Each call appends one JSON line to $FIXPOINT_OUTPUT_FILE. The value travels hex-encoded, so no quoting or
# escaping in sh can corrupt it; any other language can write {"name": "...", "value": ...} lines instead.

fixpoint_hex() {
  printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'
}

fixpoint_output() {
  _fp_field=valueHex
  if [ "$1" = "--json" ]; then
    _fp_field=valueJsonHex
    shift
  fi
  if [ "$#" -ne 2 ]; then
    echo "usage: fixpoint output [--json] NAME VALUE" >&2
    return 2
  fi
  case "$1" in
    '' | [!a-z]* | *[!a-z0-9_]*)
      echo "fixpoint: invalid output name '$1' (lower-case letters, digits and _)" >&2
      return 2
      ;;
  esac
  if [ -z "${FIXPOINT_OUTPUT_FILE:-}" ]; then
    echo "fixpoint: FIXPOINT_OUTPUT_FILE is not set" >&2
    return 2
  fi
  printf '{"name":"%s","%s":"%s"}\n' "$1" "$_fp_field" "$(fixpoint_hex "$2")" >>"$FIXPOINT_OUTPUT_FILE"
}

fixpoint_campaign() {
  if [ -z "${FIXPOINT_NODE:-}" ] || [ -z "${FIXPOINT_BIN:-}" ]; then
    echo "fixpoint: campaigns only work inside a Fixpoint action script" >&2
    return 3
  fi
  "$FIXPOINT_NODE" "$FIXPOINT_BIN/fixpoint-campaign.mjs" "$@"
}

fixpoint() {
  _fp_command="${1:-}"
  [ "$#" -gt 0 ] && shift
  case "$_fp_command" in
    output) fixpoint_output "$@" ;;
    campaign) fixpoint_campaign "$@" ;;
    *)
      echo "usage: fixpoint output [--json] NAME VALUE | fixpoint campaign ID [--timeout S] [--param k=v]..." >&2
      return 2
      ;;
  esac
}
