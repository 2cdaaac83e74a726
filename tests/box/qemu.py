"""qemu.py — the box as the harness sees it: one QEMU process with a QMP
monitor, a guest agent and a serial console, each on a file or socket in the
run's folder.  Python 3 standard library only."""
import base64
import json
import os
import random
import signal
import socket
import subprocess
import time


class QMPError(Exception):
    pass


class _Lines:
    """JSON lines over a unix socket, with a timeout per read."""

    def __init__(self, path, timeout):
        end = time.monotonic() + timeout
        while True:
            try:
                self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.s.connect(path)
                break
            except OSError:
                self.s.close()
                if time.monotonic() > end:
                    raise
                time.sleep(0.1)
        self.buf = b''

    def send(self, obj):
        self.s.sendall(json.dumps(obj).encode() + b'\n')

    def raw(self, data):
        self.s.sendall(data)

    def line(self, timeout):
        end = time.monotonic() + timeout
        while b'\n' not in self.buf:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError('no answer')
            self.s.settimeout(left)
            try:
                chunk = self.s.recv(65536)
            except socket.timeout:
                raise TimeoutError('no answer')
            if not chunk:
                raise ConnectionError('closed')
            self.buf += chunk
        line, self.buf = self.buf.split(b'\n', 1)
        return line

    def close(self):
        self.s.close()


class QMP:
    def __init__(self, path, timeout=30):
        self.c = _Lines(path, timeout)
        self.events = []
        json.loads(self.c.line(timeout))          # greeting
        self.cmd('qmp_capabilities')

    def cmd(self, name, timeout=60, **args):
        msg = {'execute': name}
        if args:
            msg['arguments'] = args
        self.c.send(msg)
        while True:
            r = json.loads(self.c.line(timeout))
            if 'event' in r:
                self.events.append(r)
            elif 'return' in r:
                return r['return']
            elif 'error' in r:
                raise QMPError('%s: %s' % (name, r['error'].get('desc')))

    def wait_event(self, name, timeout, match=None):
        end = time.monotonic() + timeout
        while True:
            for i, e in enumerate(self.events):
                if e['event'] == name and (match is None or match(e.get('data', {}))):
                    del self.events[i]
                    return e
            left = end - time.monotonic()
            if left <= 0:
                return None
            try:
                r = json.loads(self.c.line(left))
            except TimeoutError:
                return None
            if 'event' in r:
                self.events.append(r)

    def close(self):
        self.c.close()


class Agent:
    """qemu-guest-agent: commands run as root in the guest."""

    def __init__(self, path):
        self.path = path
        self.c = None

    def _connect(self, timeout):
        if self.c is None:
            self.c = _Lines(self.path, 5)
        # Resynchronise: anything stale before the 0xff is dropped.
        end = time.monotonic() + timeout
        while True:
            n = random.randrange(1, 1 << 30)
            self.c.raw(b'\xff')
            self.c.send({'execute': 'guest-sync-delimited', 'arguments': {'id': n}})
            try:
                while True:
                    ln = self.c.line(min(3.0, max(0.1, end - time.monotonic())))
                    ln = ln.split(b'\xff')[-1].strip()
                    if not ln:
                        continue
                    try:
                        r = json.loads(ln)
                    except ValueError:
                        continue
                    if r.get('return') == n:
                        return
            except TimeoutError:
                if time.monotonic() > end:
                    raise

    def reset(self):
        if self.c:
            self.c.close()
        self.c = None

    def wait(self, timeout):
        """True once the agent answers."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                self._connect(min(5.0, end - time.monotonic()))
                return True
            except (OSError, TimeoutError, ConnectionError):
                self.reset()
                time.sleep(0.5)
        return False

    def cmd(self, name, timeout=30, **args):
        self._connect(timeout)
        msg = {'execute': name}
        if args:
            msg['arguments'] = args
        self.c.send(msg)
        while True:
            r = json.loads(self.c.line(timeout))
            if 'return' in r:
                return r['return']
            if 'error' in r:
                raise QMPError('%s: %s' % (name, r['error'].get('desc')))

    def sh(self, script, timeout=60, check=False):
        """Runs script with /bin/sh -c; returns (exit code, stdout, stderr)."""
        r = self.cmd('guest-exec', path='/bin/sh', arg=['-c', script],
                     **{'capture-output': True})
        pid = r['pid']
        end = time.monotonic() + timeout
        delay = 0.05
        while True:
            s = self.cmd('guest-exec-status', pid=pid)
            if s.get('exited'):
                out = base64.b64decode(s.get('out-data', '')).decode('utf-8', 'replace')
                err = base64.b64decode(s.get('err-data', '')).decode('utf-8', 'replace')
                code = s.get('exitcode', -s.get('signal', 0) or -1)
                if check and code != 0:
                    raise RuntimeError('guest: %s: exit %s: %s' % (script, code, err.strip()))
                return code, out, err
            if time.monotonic() > end:
                raise TimeoutError('guest: %s: still running after %d s' % (script, timeout))
            time.sleep(delay)
            delay = min(delay * 2, 0.5)

    def out(self, script, timeout=60):
        return self.sh(script, timeout, check=True)[1]

    def push(self, data, path):
        """Writes bytes to a file in the guest."""
        h = self.cmd('guest-file-open', path=path, mode='wb')
        try:
            for i in range(0, len(data), 48 << 10):
                self.cmd('guest-file-write', handle=h,
                         **{'buf-b64': base64.b64encode(data[i:i + (48 << 10)]).decode()})
        finally:
            self.cmd('guest-file-close', handle=h)

    def start(self, argv):
        """Starts a program in the guest without waiting for it."""
        return self.cmd('guest-exec', path=argv[0], arg=argv[1:])['pid']

    def time_ns(self):
        return self.cmd('guest-get-time')


class Box:
    """One QEMU process; start() is power on, kill() a power cut."""

    def __init__(self, run_dir, image_dir, disk, accel, cpu, size, smp=2, mem=1536, rtc=None):
        self.dir = run_dir
        self.image = image_dir
        self.disk = disk
        self.accel, self.cpu, self.size = accel, cpu, size
        self.smp, self.mem, self.rtc = smp, mem, rtc
        self.proc = None
        self.qmp = None
        self.agent = None
        self.boots = 0
        self.serial = None
        self.power_on = None
        self.plugged = {}

    def args(self):
        w, h = self.size.split('x')
        a = ['qemu-system-x86_64', '-name', 'nb-box', '-machine', 'q35,accel=' + self.accel,
             '-cpu', self.cpu, '-smp', str(self.smp), '-m', str(self.mem),
             '-display', 'none', '-vga', 'none', '-nodefaults', '-no-user-config',
             '-kernel', os.path.join(self.image, 'vmlinuz'),
             '-initrd', os.path.join(self.image, 'initrd.img'),
             '-append', 'root=/dev/vda rw console=ttyS0,115200 quiet mitigations=off',
             '-drive', 'file=%s,format=qcow2,if=virtio,cache=writethrough' % self.disk,
             '-device', 'virtio-vga,xres=%s,yres=%s' % (w, h),
             '-device', 'qemu-xhci,id=xhci',
             # Entropy at once: the import's getrandom() need not wait for it.
             '-device', 'virtio-rng-pci',
             '-chardev', 'file,id=ser,path=' + self.serial, '-serial', 'chardev:ser',
             '-qmp', 'unix:%s,server=on,wait=off' % os.path.join(self.dir, 'qmp.sock'),
             '-chardev', 'socket,id=qga,path=%s,server=on,wait=off'
             % os.path.join(self.dir, 'qga.sock'),
             '-device', 'virtio-serial',
             '-device', 'virtserialport,chardev=qga,name=org.qemu.guest_agent.0',
             '-rtc', 'base=' + (self.rtc or 'utc')]
        return a

    def start(self):
        self.boots += 1
        self.serial = os.path.join(self.dir, 'serial-%02d.log' % self.boots)
        for s in ('qmp.sock', 'qga.sock'):
            try:
                os.unlink(os.path.join(self.dir, s))
            except FileNotFoundError:
                pass
        self.plugged = {}
        log = open(os.path.join(self.dir, 'qemu-%02d.log' % self.boots), 'w')
        self.power_on = time.monotonic()
        self.proc = subprocess.Popen(self.args(), stdin=subprocess.DEVNULL, stdout=log,
                                     stderr=subprocess.STDOUT)
        log.close()
        with open(os.path.join(self.dir, 'qemu.pid'), 'w') as f:
            f.write('%d\n' % self.proc.pid)
        self.qmp = QMP(os.path.join(self.dir, 'qmp.sock'))
        self.agent = Agent(os.path.join(self.dir, 'qga.sock'))

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill(self):
        """Pulls the plug: SIGKILL, no flush, no shutdown."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.proc = None
        for c in (self.qmp, self.agent):
            try:
                c and (c.close() if isinstance(c, QMP) else c.reset())
            except OSError:
                pass
        self.qmp = self.agent = None

    def shutdown(self, timeout=60):
        if not self.alive():
            return self.kill()
        try:
            self.agent.cmd('guest-shutdown', timeout=5, mode='powerdown')
        except Exception:
            pass
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
        self.kill()

    def screendump(self, path):
        self.qmp.cmd('screendump', filename=path, format='png')
        return path

    def serial_text(self):
        try:
            with open(self.serial, 'rb') as f:
                return f.read().decode('utf-8', 'replace')
        except FileNotFoundError:
            return ''

    def plug(self, name, image):
        """A USB stick put into the box (xhci port, usb-storage)."""
        self.qmp.cmd('blockdev-add', driver='raw', **{'node-name': name},
                     file={'driver': 'file', 'filename': image})
        self.qmp.cmd('device_add', driver='usb-storage', bus='xhci.0', drive=name,
                     id='dev-' + name, removable=True)
        self.plugged[name] = image
        return time.monotonic()

    def unplug(self, name, timeout=30):
        self.qmp.cmd('device_del', id='dev-' + name)
        ok = self.qmp.wait_event('DEVICE_DELETED', timeout,
                                 lambda d: d.get('device') == 'dev-' + name) is not None
        self.qmp.cmd('blockdev-del', **{'node-name': name})
        del self.plugged[name]
        return ok
