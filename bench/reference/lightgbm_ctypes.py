"""The few calls of Python's lightgbm that the tutorial's app makes, on native LightGBM 4.7.0 through ctypes.

pip (and so the `lightgbm` wheel) is unreachable here; the same native library, lib_lightgbm.so from the
LightGBM NuGet package, does the work. Like lightgbm.Booster: load a model file, then predict a pandas
DataFrame, whose category columns are coded with the model's `pandas_categorical` lists (NaN when missing),
through LGBM_BoosterPredictForMat.
"""
import ctypes
import json

import numpy as np
import pandas as pd

C_API_DTYPE_FLOAT64 = 1
C_API_PREDICT_NORMAL = 0


class Booster:
    def __init__(self, library, model_file):
        self._lib = ctypes.cdll.LoadLibrary(library)
        self._lib.LGBM_GetLastError.restype = ctypes.c_char_p
        self._handle = ctypes.c_void_p()
        iterations = ctypes.c_int()
        self._check(self._lib.LGBM_BoosterCreateFromModelfile(
            model_file.encode(), ctypes.byref(iterations), ctypes.byref(self._handle)))
        self.feature_names = self._feature_names()
        self.pandas_categorical = _pandas_categorical(model_file)

    def predict(self, data):
        rows = np.ascontiguousarray(_to_matrix(data[self.feature_names], self.pandas_categorical), dtype=np.float64)
        result = np.empty(rows.shape[0], dtype=np.float64)
        written = ctypes.c_int64()
        self._check(self._lib.LGBM_BoosterPredictForMat(
            self._handle, rows.ctypes.data_as(ctypes.c_void_p), C_API_DTYPE_FLOAT64,
            ctypes.c_int32(rows.shape[0]), ctypes.c_int32(rows.shape[1]), 1, C_API_PREDICT_NORMAL,
            0, -1, b"", ctypes.byref(written), result.ctypes.data_as(ctypes.POINTER(ctypes.c_double))))
        return result

    def _feature_names(self):
        count = ctypes.c_int()
        self._check(self._lib.LGBM_BoosterGetNumFeature(self._handle, ctypes.byref(count)))
        size = 256
        buffers = [ctypes.create_string_buffer(size) for _ in range(count.value)]
        pointers = (ctypes.c_char_p * count.value)(*map(ctypes.addressof, buffers))
        written, needed = ctypes.c_int(), ctypes.c_size_t()
        self._check(self._lib.LGBM_BoosterGetFeatureNames(
            self._handle, count, ctypes.byref(written), ctypes.c_size_t(size), ctypes.byref(needed), pointers))
        return [buffer.value.decode() for buffer in buffers]

    def _check(self, code):
        if code != 0:
            raise RuntimeError(self._lib.LGBM_GetLastError().decode())


def _pandas_categorical(model_file):
    """The category lists Python's lightgbm appends to the model file, as lightgbm reads them back."""
    with open(model_file) as f:
        for line in f:
            if line.startswith("pandas_categorical:"):
                return json.loads(line[len("pandas_categorical:"):])
    return None


def _to_matrix(frame, pandas_categorical):
    """As lightgbm's _data_from_pandas: text columns become codes of the trained categories, unknown -> NaN."""
    frame = frame.copy()
    text_columns = [c for c in frame.columns if frame[c].dtype == object]
    for column, categories in zip(text_columns, pandas_categorical or []):
        codes = pd.Categorical(frame[column], categories=categories).codes.astype(np.float64)
        codes[codes < 0] = np.nan
        frame[column] = codes
    return frame.to_numpy(dtype=np.float64)
