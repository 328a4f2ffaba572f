"""A mail server for the tests: aiosmtpd on 127.0.0.1, saving each message it receives as an .eml file.

Usage: python3 smtp_sink.py FOLDER PORT. Prints "ready" once it listens; stops when its standard input closes, so it
never outlives the test process that started it.
"""
import os
import sys
import uuid

from aiosmtpd.controller import Controller


class SaveToFolder:
    def __init__(self, folder):
        self.folder = folder

    async def handle_DATA(self, server, session, envelope):
        path = os.path.join(self.folder, f"{uuid.uuid4().hex}.eml")
        with open(path + ".tmp", "wb") as file:
            file.write(envelope.original_content)
        # Renamed once complete, so the tests never read half a message.
        os.replace(path + ".tmp", path)
        return "250 Message accepted"


folder, port = sys.argv[1], int(sys.argv[2])
os.makedirs(folder, exist_ok=True)
controller = Controller(SaveToFolder(folder), hostname="127.0.0.1", port=port)
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
