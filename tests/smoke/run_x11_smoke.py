#!/usr/bin/python3
"""Smoke test of the reference host with the CRM plugin under a real X server (Xvfb).

Builds nothing: uses <build>/bin/conduit-host and <build>/plugins. It makes a demo store (headless,
--days 5), starts Xvfb (plus openbox, a session bus and the accessibility bus), then per locale:
  1. restarts the host many times and double-clicks feed rows right after each start: the host must
     survive, stop cleanly on SIGTERM and write no "terminate called" / "Qt has caught an exception";
  2. per role (--user LOGIN when the host offers it, else its default user) opens every form of the
     plugin's menus with the keyboard, opens an event's project card by double-click, reads every
     text on screen through the accessibility tree (AT-SPI) and checks it is in the locale:
     no wording of another language from the plugin's own catalogue of texts;
  3. saves a PNG of every screen into WORK/screens/.

  tests/smoke/run_x11_smoke.py --build build/release                 # both locales, ~3-4 minutes
  tests/smoke/run_x11_smoke.py --build build/release --locales ru --restarts 3 --keep
"""
import argparse
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2]
DEMO_DAYS, DEMO_SEED = 5, 7
# One login per kind of role (docs/access.md): together they may create every kind of entry.
DEFAULT_USERS = ["a.nowak", "m.kaminska", "l.wozniak", "admin"]
TECHNICAL = re.compile(r"std::|bad_alloc|bad_optional|basic_string|vector::|_M_\w|what\(\)|SQLCODE|isc_\w|"
                       r"\bsoci\b|nlohmann|\bnullptr\b|Segmentation")
# Words of English sentences that are no words in Polish (customers' Polish notes stay quiet).
ENGLISH_GLUE = re.compile(r"\b(?:is|not|the|of|for|with|cannot|could|failed|invalid|must|been|was|should|unknown|"
                          r"missing|expected|error)\b")
BAD_OUTPUT = re.compile(r"terminate called|Qt has caught an exception|Segmentation fault|AddressSanitizer|"
                        r"runtime error:|QObject::connect: No such|ASSERT failure|std::bad_|double free")


class SmokeFailure(Exception):
    pass


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# ---------------------------------------------------------------- processes

class Children:
    """Every process the test starts, each in its own process group; all are killed on the way out."""

    def __init__(self):
        self.procs = []

    def start(self, cmd, log_path, env=None, **kw):
        out = open(log_path, "ab")
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=env,
                             start_new_session=True, **kw)
        out.close()
        self.procs.append(p)
        return p

    def stop(self, p, timeout=10):
        """SIGTERM, then SIGKILL of the whole group. Returns the exit status (None if it was killed)."""
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                p.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill(p)
                return None
        self.kill(p)  # what it started may outlive it
        return p.returncode

    def kill(self, p):
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            pass

    def stop_all(self):
        for p in reversed(self.procs):
            self.stop(p, timeout=3)
        self.procs.clear()


class Display:
    """Xvfb on a free display (it picks the number itself), its frame buffer in an XWD file for
    screenshots, a session bus with the accessibility bus, and openbox when it is installed."""

    def __init__(self, work, children, size=(1280, 900)):
        self.work, self.children, self.size = work, children, size
        self.fbdir = work / "fb"
        self.fbdir.mkdir()
        runtime = work / "run"
        runtime.mkdir(mode=0o700)
        rfd, wfd = os.pipe()
        self.xvfb = children.start(["Xvfb", "-displayfd", str(wfd), "-screen", "0", f"{size[0]}x{size[1]}x24",
                                    "-fbdir", str(self.fbdir), "-nolisten", "tcp", "-noreset", "-ac"],
                                   work / "xvfb.log", pass_fds=(wfd,))
        os.close(wfd)
        number = read_line(rfd, 15, "Xvfb did not report its display (see xvfb.log)")
        os.close(rfd)
        self.env = dict(os.environ, DISPLAY=f":{number}", XDG_RUNTIME_DIR=str(runtime))
        self.env.pop("WAYLAND_DISPLAY", None)
        self.env.pop("QT_QPA_PLATFORM", None)  # ctest sets offscreen for the others; this one is real X
        rfd, wfd = os.pipe()
        self.bus = children.start(["dbus-daemon", "--session", "--nofork", "--nopidfile", f"--print-address={wfd}"],
                                  work / "dbus.log", env=self.env, pass_fds=(wfd,))
        os.close(wfd)
        self.env["DBUS_SESSION_BUS_ADDRESS"] = read_line(rfd, 10, "dbus-daemon did not start (see dbus.log)")
        os.close(rfd)
        self.atspi = None
        launcher = Path("/usr/libexec/at-spi-bus-launcher")
        if launcher.exists():
            self.atspi = children.start([str(launcher), "--launch-immediately"], work / "atspi.log", env=self.env)
        if shutil.which("openbox"):
            children.start(["openbox", "--sm-disable"], work / "openbox.log", env=self.env)
        log(f"X display {self.env['DISPLAY']} ({size[0]}x{size[1]}), session bus, "
            f"{'AT-SPI' if self.atspi else 'no AT-SPI'}, {'openbox' if shutil.which('openbox') else 'no window manager'}")

    def xdotool(self, *args, timeout=10, check=True):
        p = subprocess.run(["xdotool", *map(str, args)], env=self.env, capture_output=True, text=True, timeout=timeout)
        if check and p.returncode != 0:
            raise SmokeFailure(f"xdotool {' '.join(map(str, args))} failed: {p.stderr.strip()}")
        return p.stdout.strip()

    def windows_of(self, pid):
        out = self.xdotool("search", "--onlyvisible", "--pid", pid, check=False)
        return [w for w in out.split() if w]

    def screenshot(self, path, rect=None):
        write_png(path, *read_xwd(self.fbdir / "Xvfb_screen0", rect))


def read_line(fd, timeout, error):
    import select
    data = b""
    deadline = time.monotonic() + timeout
    while b"\n" not in data:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise SmokeFailure(error)
        chunk = os.read(fd, 256)
        if not chunk:
            raise SmokeFailure(error)
        data += chunk
    return data.decode().split("\n")[0].strip()


# ---------------------------------------------------------------- screenshots (XWD frame buffer -> PNG)

def read_xwd(path, rect=None):
    raw = path.read_bytes()
    h = struct.unpack(">25I", raw[:100])
    header_size, width, height = h[0], h[4], h[5]
    byte_order, bpp, bytes_per_line, ncolors = h[7], h[11], h[12], h[19]
    if bpp != 32:
        raise SmokeFailure(f"unexpected XWD depth {bpp}")
    pixels = raw[header_size + ncolors * 12:]
    x0, y0, w, hgt = rect or (0, 0, width, height)
    x0, y0 = max(0, x0), max(0, y0)
    w, hgt = min(w, width - x0), min(hgt, height - y0)
    rows = []
    for y in range(y0, y0 + hgt):
        line = pixels[y * bytes_per_line + x0 * 4:y * bytes_per_line + (x0 + w) * 4]
        # 32-bit TrueColor: B,G,R,x in LSB-first order; to RGB
        if byte_order == 0:
            rgb = bytearray(w * 3)
            rgb[0::3], rgb[1::3], rgb[2::3] = line[2::4], line[1::4], line[0::4]
        else:
            rgb = bytearray(w * 3)
            rgb[0::3], rgb[1::3], rgb[2::3] = line[1::4], line[2::4], line[3::4]
        rows.append(bytes(rgb))
    return w, hgt, rows


def write_png(path, width, height, rows):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    body = zlib.compress(b"".join(b"\0" + r for r in rows), 6)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", body) + chunk(b"IEND", b""))


# ---------------------------------------------------------------- what is on screen (AT-SPI)

ACC = "org.a11y.atspi.Accessible"


class Node:
    def __init__(self, role, name, extents, path, depth):
        self.role, self.name, self.extents, self.path, self.depth = role, name, extents, path, depth

    def center(self):
        x, y, w, h = self.extents
        return x + w // 2, y + h // 2


class Screen:
    """The host's accessibility tree, read over D-Bus: every role, text and position on screen."""

    def __init__(self, env):
        import dbus  # python3-dbus
        self.dbus = dbus
        os.environ["DBUS_SESSION_BUS_ADDRESS"] = env["DBUS_SESSION_BUS_ADDRESS"]
        session = dbus.bus.BusConnection(env["DBUS_SESSION_BUS_ADDRESS"])
        addr = session.get_object("org.a11y.Bus", "/org/a11y/bus").GetAddress(dbus_interface="org.a11y.Bus")
        self.bus = dbus.bus.BusConnection(addr)

    def app(self, pid):
        root = self.bus.get_object("org.a11y.atspi.Registry", "/org/a11y/atspi/accessible/root")
        daemon = self.bus.get_object("org.freedesktop.DBus", "/org/freedesktop/DBus")
        for name, path in root.GetChildren(dbus_interface=ACC):
            try:
                if int(daemon.GetConnectionUnixProcessID(name, dbus_interface="org.freedesktop.DBus")) == pid:
                    return name, path
            except self.dbus.DBusException:
                continue
        return None

    def read(self, pid, max_children=80):
        found = self.app(pid)
        if not found:
            return []
        nodes = []
        self._walk(found[0], found[1], 0, nodes, max_children)
        return nodes

    def _walk(self, bus_name, path, depth, nodes, max_children, in_menus=False):
        if depth > 40:
            return
        try:
            o = self.bus.get_object(bus_name, path, introspect=False)
            if depth > 0 and not in_menus and not int(o.GetState(dbus_interface=ACC)[0]) & VISIBLE:
                return  # a hidden tab's widgets: not on screen (closed menus' entries are read: they are the way in)
            props = self.dbus.Interface(o, "org.freedesktop.DBus.Properties")
            name = str(props.Get(ACC, "Name"))
            role = str(o.GetRoleName(dbus_interface=ACC))
            ext = (0, 0, 0, 0)
            if role in PLACED:
                ext = tuple(int(v) for v in o.GetExtents(self.dbus.UInt32(0), dbus_interface="org.a11y.atspi.Component"))
            if role in TEXTUAL and not name:
                try:  # a text view's content (a card's HTML): its Name is empty
                    name = str(o.GetText(0, -1, dbus_interface="org.a11y.atspi.Text"))[:4000]
                except self.dbus.DBusException:
                    pass
            nodes.append(Node(role, name, ext, path, depth))
            children = o.GetChildren(dbus_interface=ACC)
        except self.dbus.DBusException:
            return  # a widget that went away while being read
        # The feed's table: its headers and first rows are enough (the rest is the same, data).
        for child_bus, child_path in children[:max_children if role != "table" else 40]:
            self._walk(child_bus, child_path, depth + 1, nodes, max_children, in_menus or role == "menu bar")


VISIBLE = 1 << 30  # AT-SPI's STATE_VISIBLE (Qt: QWidget::isVisible)
TEXTUAL = {"label", "text", "paragraph", "document text", "document frame", "document web", "entry", "html container"}
PLACED = {"table", "menu item", "frame", "dialog", "page tab"}  # roles whose position the test needs


# ---------------------------------------------------------------- the locale check

LITERAL = r'"((?:[^"\\]|\\.)*)"'
PICK = re.compile(r"pick\(\s*" + r"\s*,\s*".join([r"((?:" + LITERAL + r"\s*)+)"] * 3) + r"\s*\)")
KIND_ROW = re.compile(r'\{\s*"[a-z_]+\.[a-z_.]+"\s*,\s*' + r"\s*,\s*".join([LITERAL] * 3))


C_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{1,2}|.)", re.S)
C_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}


def c_unescape(literal):
    """A C++ string literal's text (the source is UTF-8; \\u2014 and the like are code points)."""
    def one(m):
        e = m.group(1)
        if e[0] in "uUx" and len(e) > 1:
            return chr(int(e[1:], 16))
        return C_SIMPLE.get(e, e)
    return C_ESCAPE.sub(one, literal)


def unquote(concatenated):
    return "".join(c_unescape(s) for s in re.findall(LITERAL, concatenated))


def catalogue():
    """Every text of the plugin in its three wordings: {"en": .., "ru": .., "pl": ..} per text."""
    texts = []
    for folder in ("forms", "plugin", "crm-plugin"):
        for f in (SOURCE / folder).rglob("*.[ch]pp"):
            src = f.read_text(errors="replace")
            for m in PICK.finditer(src):
                texts.append({"en": unquote(m.group(1)), "ru": unquote(m.group(3)), "pl": unquote(m.group(5))})
            if f.name == "event_kind.cpp":
                for m in KIND_ROW.finditer(src):
                    texts.append({"ru": unquote('"' + m.group(1) + '"'), "pl": unquote('"' + m.group(2) + '"'),
                                  "en": unquote('"' + m.group(3) + '"')})
    return texts


def fragments(text):
    """The fixed parts of a wording (split at %1 placeholders and HTML), long enough to mean something."""
    plain = re.sub(r"<[^>]*>", " ", text)
    return [p.strip(" :.,…—-()\n") for p in re.split(r"%\d|\n|/", plain) if len(p.strip(" :.,…—-()\n")) >= 4]


class LocaleCheck:
    def __init__(self, locale, texts):
        self.locale = locale
        own = {f for t in texts for f in fragments(t[locale])}
        self.foreign = {}
        for t in texts:
            for lang, wording in t.items():
                if lang == locale:
                    continue
                for frag in fragments(wording):
                    # The same in both languages (a code, "CRM", a name) says nothing.
                    if frag not in own and not any(frag in o for o in own):
                        self.foreign[frag] = lang
        self.own = own

    def findings(self, nodes):
        bad = []
        for n in nodes:
            if not n.name:
                continue
            for frag, lang in self.foreign.items():
                if frag == n.name.strip(" :.,…—-()") or (len(frag) >= 10 and frag in n.name):
                    bad.append(f"{n.role} '{short(n.name)}' is {lang} ('{short(frag)}')")
                    break
        return bad

    def technical(self, nodes):
        """A raw exception text or code identifier on screen, or an English sentence outside the
        catalogue (an error message passed through) on a Polish or Russian screen."""
        bad = []
        for n in nodes:
            if not n.name:
                continue
            if TECHNICAL.search(n.name):
                bad.append(f"{n.role} shows '{short(n.name)}'")
            elif self.locale != "en" and len(set(ENGLISH_GLUE.findall(n.name.lower()))) >= 2:
                bad.append(f"{n.role} shows English '{short(n.name)}'")
        return bad

    def own_texts_seen(self, nodes):
        return sum(1 for n in nodes if n.name and any(f == n.name.strip(" :.,…—-()") for f in self.own))


def short(s, n=70):
    s = s.replace("\n", " ")
    return s if len(s) <= n else s[:n - 1] + "…"


# ---------------------------------------------------------------- the host

class Host:
    def __init__(self, args, display, children, work, data):
        self.args, self.display, self.children, self.work, self.data = args, display, children, work, data
        self.bin = args.build / "bin" / "conduit-host"
        self.plugins = args.build / "plugins"
        helptext = subprocess.run([str(self.bin), "--help"], capture_output=True, text=True, timeout=30).stdout
        self.has_user = "--user" in helptext
        self.p = None
        self.runs = 0

    def env(self):
        env = dict(self.display.env, QT_QPA_PLATFORM="xcb", QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1", TZ="UTC",
                   QT_ACCESSIBILITY="1")
        if self.args.no_webengine:
            env["CONDUIT_FORMS_WEBENGINE"] = "0"
        if os.geteuid() == 0:
            env.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
        env.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu")
        return env

    def start(self, locale, user=None):
        self.runs += 1
        self.out = self.work / f"host-{self.runs:03d}-{locale}{'-' + user if user else ''}.out"
        hostlog = self.data / "logs" / "host.log"
        self.log_from = hostlog.stat().st_size if hostlog.exists() else 0
        cmd = [str(self.bin), "--plugins", str(self.plugins), "--data", str(self.data), "--days", str(DEMO_DAYS),
               "--seed", str(DEMO_SEED), "--locale", locale, "--pace-ms", "0"]
        if user:
            cmd += ["--user", user]
        self.cmd = cmd
        self.started = time.monotonic()
        self.p = self.children.start(cmd, self.out, env=self.env())
        return self.wait_window()

    def wait_window(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.assert_alive("while starting")
            for w in self.display.windows_of(self.p.pid):
                if "Conduit" in self.display.xdotool("getwindowname", w, check=False):
                    return w
            time.sleep(0.1)
        raise SmokeFailure(f"no host window within {timeout} s: {' '.join(self.cmd)}\n{self.tail()}")

    def alive(self):
        return self.p is not None and self.p.poll() is None

    def assert_alive(self, when):
        if not self.alive():
            raise SmokeFailure(f"the host died {when} (exit {self.p.returncode}); its output ({self.out}):\n{self.tail()}")
        bad = self.bad_output()
        if bad:
            raise SmokeFailure(f"the host reported {when}: {bad}\n{self.tail()}")

    def bad_output(self):
        texts = [self.out.read_text(errors="replace")]
        hostlog = self.data / "logs" / "host.log"
        if hostlog.exists():
            with open(hostlog, "rb") as f:
                f.seek(self.log_from)
                texts.append(f.read().decode(errors="replace"))
        for text in texts:
            m = BAD_OUTPUT.search(text)
            if m:
                line = text[text.rfind("\n", 0, m.start()) + 1:text.find("\n", m.end())]
                return line.strip()
        return None

    def stop(self, when):
        self.assert_alive(when)
        rc = self.children.stop(self.p, timeout=20)
        self.children.procs.remove(self.p)
        if rc is None:
            raise SmokeFailure(f"the host did not stop within 20 s of SIGTERM ({when})\n{self.tail()}")
        if rc != 0:
            raise SmokeFailure(f"the host stopped with exit {rc} ({when})\n{self.tail()}")
        bad = self.bad_output()
        if bad:
            raise SmokeFailure(f"the host reported while stopping ({when}): {bad}\n{self.tail()}")

    def tail(self, n=30):
        try:
            return "\n".join(self.out.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


# ---------------------------------------------------------------- the scenario

class Smoke:
    def __init__(self, args, work):
        self.args, self.work = args, work
        self.children = Children()
        self.screens_dir = work / "screens"
        self.screens_dir.mkdir()
        self.findings = []
        self.shots = 0
        self.rows = None  # where the feed's first rows are, learned from the first window

    def run(self):
        data = self.make_demo()
        self.display = Display(self.work, self.children)
        try:
            self.screen = Screen(self.display.env)
        except Exception as e:  # no python3-dbus, no at-spi2-core
            raise SmokeFailure(f"cannot read the screen through AT-SPI ({e}); needs python3-dbus and at-spi2-core")
        self.host = Host(self.args, self.display, self.children, self.work, data)
        users = [None]
        if self.host.has_user:
            users = self.args.users.split(",")
            log(f"the host takes --user: roles {', '.join(users)}")
        else:
            log("the host has no --user option: its default user only")
        texts = catalogue()
        log(f"catalogue: {len(texts)} texts of the plugin in en/ru/pl")
        locales = self.args.locales
        for i, locale in enumerate(locales):
            check = LocaleCheck(self.args.check_as or locale, texts)
            # Each role once, the roles shared out among the locales (all in each: --all-roles).
            mine = users if self.args.all_roles or users == [None] else users[i::len(locales)] or users[:1]
            for user in mine:
                self.forms_pass(locale, user, check)
            self.restarts(locale, self.args.restarts)
        return self.findings

    def make_demo(self):
        data = self.work / "demo"
        started = time.monotonic()
        p = subprocess.run([str(self.args.build / "bin" / "conduit-host"), "--plugins", str(self.args.build / "plugins"),
                            "--headless", "--days", str(DEMO_DAYS), "--seed", str(DEMO_SEED), "--data", str(data)],
                           env=dict(os.environ, QT_QPA_PLATFORM="offscreen", CONDUIT_FORMS_WEBENGINE="0"),
                           capture_output=True, text=True, timeout=180)
        if p.returncode != 0:
            raise SmokeFailure(f"the headless demo failed (exit {p.returncode}):\n{p.stdout[-3000:]}{p.stderr[-3000:]}")
        log(f"demo store of {DEMO_DAYS} days in {time.monotonic() - started:.0f} s")
        return data

    # -- 1. restarts with double-clicks right after start
    def restarts(self, locale, count):
        started = time.monotonic()
        done = clicks = 0
        for i in range(count):
            if time.monotonic() - started > self.args.restart_budget:
                break
            self.host.start(locale)
            for k in range(self.args.clicks):
                x, y = self.row_point(k)
                self.display.xdotool("mousemove", x, y, "click", "--repeat", 2, "--delay", 60, 1)
                clicks += 1
                time.sleep(0.05 + 0.1 * (i % 3))  # different moments of the start-up, run by run
            time.sleep(0.3)
            self.host.assert_alive(f"after double-clicks right after start ({locale}, restart {i + 1})")
            self.host.stop(f"restart {i + 1}, {locale}")
            done += 1
        log(f"{locale}: {done} restarts x {self.args.clicks} double-clicks right after start: the host survived "
            f"({time.monotonic() - started:.0f} s)")
        if done < min(count, 3):
            raise SmokeFailure(f"only {done} restarts fitted in {self.args.restart_budget} s")

    def row_point(self, k):
        x, y, w, h = self.rows or (268, 83, 1008, 389)
        return x + min(w // 3, 250), y + 40 + 26 * (k % 5)

    # -- 2. every form through the menus, as one user
    def forms_pass(self, locale, user, check):
        who = user or "default"
        started = time.monotonic()
        self.host.start(locale, user)
        nodes = self.wait_for(lambda ns: any(n.role == "table" for n in ns) and self.menu_items(ns), 30,
                              "the dispatcher workstation (its feed table and the CRM menu) did not show")
        table = next(n for n in nodes if n.role == "table")
        if table.extents[2] > 0:
            self.rows = table.extents
        self.wait_for(lambda ns: len(ns) > 60, 10, "the feed did not fill")
        time.sleep(1.0)  # the first page renders, the card follows the first row
        self.main_windows = {n.path for n in top_windows(nodes)}  # the main window and Qt's own hidden ones
        self.look(locale, who, "dispatcher", check)
        items = self.menu_items(self.screen.read(self.host.p.pid))
        labels = [label for _, label in items]
        log(f"{locale}/{who}: menus offer {len(items)} forms: {', '.join(labels)}")
        for index, (top, label) in enumerate(items):
            self.open_from_menu(top, index_in(items, top, index), label)
            self.look(locale, who, f"menu-{index + 1}", check, label)
            self.close_dialogs()
        # An event's project card, as a dispatcher gets it: double-click on a feed row.
        self.open_from_menu(items[0][0], 0, items[0][1])
        time.sleep(0.5)
        x, y = self.row_point(0)
        self.display.xdotool("mousemove", x, y, "click", "--repeat", 2, "--delay", 60, 1)
        time.sleep(1.5)
        self.look(locale, who, "row-card", check, "double-click on a feed row")
        self.host.stop(f"forms pass {locale}/{who}")
        log(f"{locale}/{who}: {len(items)} forms looked at in {time.monotonic() - started:.0f} s")

    def wait_for(self, ready, timeout, what):
        deadline = time.monotonic() + timeout
        nodes = []
        while time.monotonic() < deadline:
            self.host.assert_alive("while waiting for the screen")
            nodes = self.screen.read(self.host.p.pid)
            if ready(nodes):
                return nodes
            time.sleep(0.3)
        raise SmokeFailure(f"{what} within {timeout} s (AT-SPI shows {len(nodes)} widgets)\n{self.host.tail()}")

    def menu_items(self, nodes):
        """(menu bar item, entry) of every menu but the host's own first one (Suite)."""
        items, bar, top, tops = [], None, None, 0
        for n in nodes:
            if bar is None:
                bar = n.depth if n.role == "menu bar" else None
                continue
            if n.depth <= bar:
                break
            if n.depth == bar + 1:
                top = n if n.role == "menu item" else None
                tops += 1 if top else 0
            elif n.role == "menu item" and top is not None and tops > 1 and n.name:
                items.append((top, n.name))
        return items

    def open_from_menu(self, top, index, label):
        """Keyboard, as a person without a mouse would: the menu, Down to the entry, Return."""
        x, y = top.center()
        self.display.xdotool("mousemove", x, y, "click", 1)
        time.sleep(0.25)
        self.display.xdotool("key", "--delay", 40, *(["Down"] * (index + 1)), "Return")
        time.sleep(1.2)
        self.host.assert_alive(f"after opening '{label}' from the menu")

    def look(self, locale, who, step, check, label=""):
        nodes = self.screen.read(self.host.p.pid)
        self.shots += 1
        name = f"{locale}-{who}-{self.shots:02d}-{step}.png"
        self.display.screenshot(self.screens_dir / name)
        # What the screen says, as text next to its picture: reviewable, diffable between locales.
        (self.screens_dir / name).with_suffix(".txt").write_text(
            "".join(f"{'  ' * n.depth}{n.role}: {n.name}\n" for n in nodes), encoding="utf-8")
        windows = [n for n in top_windows(nodes) if n.name != "Offscreen"]
        found = check.findings(nodes) + check.technical(nodes)
        for f in found:
            self.findings.append(f"{locale}/{who} {step}{' (' + label + ')' if label else ''}: {f}")
        own = check.own_texts_seen(nodes)
        if own == 0:
            self.findings.append(f"{locale}/{who} {step}: no text of the plugin in {locale} on screen ({name})")
        titles = ", ".join(f"'{short(w.name, 40)}'" for w in windows)
        log(f"  {step}{' ' + label if label else ''}: {len(nodes)} widgets, {own} texts in {locale}, "
            f"{len(found)} not, windows {titles}; {name}")

    def close_dialogs(self):
        """Escape closes an entry dialog (Cancel); the main window stays."""
        for _ in range(3):
            nodes = self.screen.read(self.host.p.pid)
            dialogs = [n for n in top_windows(nodes) if n.path not in self.main_windows]
            if not dialogs:
                return
            self.display.xdotool("key", "Escape")
            time.sleep(0.5)
        raise SmokeFailure("a dialog did not close on Escape: " + ", ".join(d.name for d in dialogs))


def top_windows(nodes):
    return [n for n in nodes if n.depth == 1 and n.role in ("frame", "dialog", "window", "alert")]


def index_in(items, top, index):
    """The entry's position within its own menu."""
    return index - next(i for i, (t, _) in enumerate(items) if t.path == top.path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", type=Path, default=SOURCE / "build" / "release")
    ap.add_argument("--work", type=Path, help="folder for the store, logs and screenshots (default: a temp folder)")
    ap.add_argument("--locales", nargs="+", default=["pl", "ru"], choices=["pl", "ru", "en"])
    ap.add_argument("--users", default=",".join(DEFAULT_USERS), help="logins for --user, when the host has it")
    ap.add_argument("--all-roles", action="store_true", help="every role in every locale (longer)")
    ap.add_argument("--check-as", choices=["pl", "ru", "en"],
                    help="check the texts against this locale instead: proves the check finds foreign texts")
    ap.add_argument("--restarts", type=int, default=15, help="restarts per locale")
    ap.add_argument("--clicks", type=int, default=4, help="double-clicks right after each start")
    ap.add_argument("--restart-budget", type=float, default=40, help="seconds of restarts per locale at most")
    ap.add_argument("--no-webengine", action="store_true", help="event card without Qt WebEngine")
    ap.add_argument("--keep", action="store_true", help="keep the work folder also when all passed")
    args = ap.parse_args()
    args.build = args.build.resolve()
    for tool in ("Xvfb", "xdotool", "dbus-daemon"):
        if not shutil.which(tool):
            print(f"smoke.x11: {tool} is missing (tools/debian-packages.txt: xvfb, xdotool, dbus)", file=sys.stderr)
            return 1
    if not (args.build / "bin" / "conduit-host").exists():
        print(f"smoke.x11: no {args.build}/bin/conduit-host: build conduit-host and conduit_crm first", file=sys.stderr)
        return 1

    if args.work:
        work = args.work.resolve()
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
    else:
        work = Path(tempfile.mkdtemp(prefix="conduit-smoke-x11-"))
    started = time.monotonic()
    smoke = Smoke(args, work)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # ctest's timeout: still clean up
    try:
        findings = smoke.run()
    except SmokeFailure as e:
        print(f"smoke.x11 FAILED: {e}\n(logs and screenshots in {work})", file=sys.stderr)
        return 1
    finally:
        smoke.children.stop_all()
    took = time.monotonic() - started
    if findings:
        print(f"smoke.x11 FAILED: {len(findings)} texts not in the screen's locale:", file=sys.stderr)
        for f in findings:
            print("  " + f, file=sys.stderr)
        print(f"(screenshots in {work / 'screens'})", file=sys.stderr)
        return 1
    log(f"smoke.x11 passed in {took:.0f} s: {smoke.host.runs} host runs, {smoke.shots} screenshots in {work / 'screens'}")
    if not args.keep and not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
