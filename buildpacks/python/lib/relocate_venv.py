"""Makes the scripts in a virtualenv's bin/ work wherever the virtualenv ends up.

pip writes the absolute path of the virtualenv's interpreter into the #! line of each script
it installs (pip itself, console scripts such as gunicorn). Staging builds the virtualenv
under the staging DEPS_DIR and the app runs it from another folder (/home/vcap/deps/<idx>),
so each such script gets a #! line that runs the interpreter found next to the script.
The interpreter symlinks and pyvenv.cfg name only the stack's python3, which does not move.

usage: relocate_venv.py VENV
"""

import os
import re
import sys

PYTHON_NAME = re.compile(rb"python[0-9.]*")


def interpreter_and_body(data, bindir):
    """The interpreter's file name in bindir and the script after its #! line(s), or None."""
    lines = data.split(b"\n", 3)
    first = lines[0].rstrip(b"\r")
    if first.startswith(b"#!" + bindir) and len(lines) > 1:
        name = first[len(b"#!" + bindir) :]
        if PYTHON_NAME.fullmatch(name):
            return name, data.split(b"\n", 1)[1]
    # pip's own form for long paths: #!/bin/sh, then '''exec' "<interpreter>" "$0" "$@"
    if first == b"#!/bin/sh" and len(lines) > 3 and lines[2].rstrip(b"\r") == b"' '''":
        prefix = b"'''exec' \"" + bindir
        second = lines[1].rstrip(b"\r")
        if second.startswith(prefix) and second.endswith(b'" "$0" "$@"'):
            name = second[len(prefix) : -len(b'" "$0" "$@"')]
            if PYTHON_NAME.fullmatch(name):
                return name, lines[3]
    return None


def relocatable_header(name):
    # Read by sh as: exec <dir of the script>/<name> <script> <args>; by Python as a string.
    return (
        b"#!/bin/sh\n"
        b"'''exec' \"$(dirname -- \"$(realpath -- \"$0\")\")/" + name + b'" "$0" "$@"\n'
        b"' '''\n"
    )


def relocate(venv):
    bindir = os.path.join(os.path.abspath(venv), "bin")
    changed = 0
    for entry in sorted(os.listdir(bindir)):
        path = os.path.join(bindir, entry)
        if os.path.islink(path) or not os.path.isfile(path):
            continue
        with open(path, "rb") as f:
            data = f.read()
        found = interpreter_and_body(data, bindir.encode() + b"/")
        if found is None:
            continue
        name, body = found
        tmp = path + ".relocating"
        with open(tmp, "wb") as f:
            f.write(relocatable_header(name) + body)
        os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        os.replace(tmp, path)
        changed += 1
    return changed


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: relocate_venv.py VENV")
    print(relocate(sys.argv[1]))
