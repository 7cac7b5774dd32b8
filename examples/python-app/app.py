"""A web dyno: answers on $PORT through gunicorn (see the Procfile)."""
import os

from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return f"Hello from {os.environ.get('DYNO')} (GREETING={os.environ.get('GREETING', 'unset')})\n", 200, {"Content-Type": "text/plain"}
