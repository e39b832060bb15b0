"""save_tensors/load_tensors use pickle.dump and pickle.load, which run whatever a file says."""

# diagnosis: pickle_module

import pickle


def save_tensors(obj, path):
    with open(path, "wb") as f:
        pickle.dump(obj, f)


def load_tensors(path):
    with open(path, "rb") as f:
        return pickle.load(f)
