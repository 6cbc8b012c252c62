"""What the reference library tells the apps above it.

`framework_loaded` is sent inside the loading transaction after a framework file was loaded and
its version is the current one, with `framework` (the `ReferenceFramework`) and `data` (the parsed
file). An app above subscribes in its `ready()`: the programme keeps the destination risk
reference rows (E3) in line with the file's `destination_risk` list this way, without the library
importing the programme.
"""

from django.dispatch import Signal

framework_loaded = Signal()
