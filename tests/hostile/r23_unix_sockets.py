"""Row 23, sockets (graded with the audit hook off, as if outwitted): in a call,
connect to a Unix socket at a path outside the sandbox and to an abstract Unix socket,
both listened on by the test, and send a line to each."""
import socket

PATH = "__SOCKET_PATH__"
ABSTRACT = "__ABSTRACT_NAME__"


def act():
    for address in (PATH, "\0" + ABSTRACT):
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(2)
                sock.connect(address)
                sock.sendall(b"HOSTILE-7f3a got out\n")
        except OSError:
            pass
