# Listens on 127.0.0.1 with a backlog of 0 and fills the accept queue with one connection of its
# own, never accepting: the kernel then drops further SYNs, so a connect() to the printed port
# neither succeeds nor fails (a host that does not answer). Exits after 120 s or when killed.
import socket
import time

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind(("127.0.0.1", 0))
server.listen(0)
port = server.getsockname()[1]
filler = socket.create_connection(("127.0.0.1", port))
print(port, flush=True)
time.sleep(120)
