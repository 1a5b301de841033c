"""The tutorial's Flask app, the reference the benchmarks compare us with (bench/README.md).

Its code style: the body is the JSON string of `df.to_json()`, read back with `pd.read_json`, then the model
predicts and the answer is a list of 0/1. Run as the tutorial does, under `gunicorn -w 4`:
    MODEL_FILE=model.txt LIB_LIGHTGBM=.../lib_lightgbm.so gunicorn -w 4 -b 127.0.0.1:8000 app:app
"""
import os

import pandas as pd
from flask import Flask, jsonify, request

from lightgbm_ctypes import Booster

app = Flask(__name__)
model = Booster(os.environ["LIB_LIGHTGBM"], os.environ["MODEL_FILE"])


@app.route("/predict", methods=["POST"])
def predict():
    data = pd.read_json(request.json)
    return jsonify([int(p > 0.5) for p in model.predict(data)])
