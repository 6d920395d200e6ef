#!/bin/sh
# Suite → Sign in as… on a real X server: run under `xvfb-run -a`, arguments HOST PLUGINS DATA OUT.
# Starts the host as the first dispatcher, opens the dialog from the keyboard (Alt+S, S), picks the
# second-next person (Down, Down, Enter), waits for the suite to come back as them, stops it with
# SIGTERM. Prints "pid before/after" and the window title; the test reads OUT for the rest.
set -u
host=$1 plugins=$2 data=$3 out=$4
# The X server is the point: ./conduit test exports QT_QPA_PLATFORM=offscreen for everything else.
QT_QPA_PLATFORM=xcb CONDUIT_FORMS_WEBENGINE=0 "$host" --plugins "$plugins" --days 40 --pace-ms 300 --seed 7 --locale en --data "$data" >"$out" 2>&1 &
pid=$!
echo "pid before $pid"
wait_for() {  # PATTERN COUNT: until OUT has COUNT lines matching PATTERN (90 s, a loaded machine is slow)
  i=0
  while [ "$(grep -c -- "$1" "$out")" -lt "$2" ] && [ $i -lt 450 ]; do sleep 0.2; i=$((i + 1)); done
}
window() {  # NAME: the id of a window whose title contains NAME (90 s, a loaded machine is slow)
  i=0
  while [ $i -lt 450 ]; do
    w=$(xdotool search --name "$1" 2>/dev/null | head -1)
    [ -n "$w" ] && { echo "$w"; return; }
    sleep 0.2; i=$((i + 1))
  done
}
wait_for "plugin(s) running" 1
w=$(window "Anna Nowak")
# On a loaded machine a key can arrive before the window, its menu or the dialog is ready: open
# the menu and the dialog again until the dialog is there, and the whole pick again until the
# suite says it restarts (Escape closes what a lost key left open; a reopened dialog starts
# from the signed-in person again, so Down Down always lands on the same one).
open_dialog() {
  d=""
  tries=0
  while [ -z "$d" ] && [ $tries -lt 12 ]; do
    xdotool windowfocus --sync "$w"; sleep 1
    xdotool key --window "$w" alt+s; sleep 1.5
    xdotool key s
    j=0
    while [ $j -lt 25 ]; do
      d=$(xdotool search --name "Sign in as" 2>/dev/null | head -1)
      [ -n "$d" ] && break
      sleep 0.2; j=$((j + 1))
    done
    [ -z "$d" ] && xdotool key Escape Escape
    tries=$((tries + 1))
  done
}
picks=0
while [ "$(grep -c -- "signing in as" "$out")" -lt 1 ] && [ $picks -lt 5 ]; do
  open_dialog
  xdotool windowfocus --sync "$d"; sleep 0.5
  xdotool key --window "$d" Down Down Return
  k=0
  while [ "$(grep -c -- "signing in as" "$out")" -lt 1 ] && [ $k -lt 75 ]; do sleep 0.2; k=$((k + 1)); done
  if [ "$(grep -c -- "signing in as" "$out")" -lt 1 ]; then
    xdotool search --name "Sign in as" >/dev/null 2>&1 && xdotool key Escape
  fi
  picks=$((picks + 1))
done
wait_for "plugin(s) running" 2
w=$(window "Kamińska")
echo "title $(xdotool getwindowname "$w" 2>/dev/null)"
echo "pid after $(pgrep -f -n -- "--data $data")"
kill -TERM "$pid"
wait "$pid"
echo "exit $?"
