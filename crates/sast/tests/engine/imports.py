import os
import os as o
import subprocess as sp
from os import system
from os import system as run


def f(cmd):
    # ruleid: py-os-system
    os.system(cmd)
    # ruleid: py-os-system
    o.system(cmd)
    # ruleid: py-os-system
    system(cmd)
    # ruleid: py-os-system
    run(cmd)
    # ok: py-os-system
    other.system(cmd)
    # ruleid: py-subprocess-call
    sp.call(cmd, shell=True)
