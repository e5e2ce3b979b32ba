"""Finding the classes a test covers in the modules that define them."""

import importlib


def classes_defined_in(module_names, base):
    """The subclasses of ``base`` each module defines itself (not those it imports)."""
    found = []
    for module_name in module_names:
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, base)
                and value.__module__ == module_name
            ):
                found.append(value)
    return found
