# Sourced by the project's scripts: sets PYTHON to the Python they install into and run.
# That is $PYTHON when it is set, else the active virtual environment's, else the project's
# own, .venv (made when it is missing), so that nothing is installed into the system's Python.
if [ -z "${PYTHON:-}" ]; then
    if [ -n "${VIRTUAL_ENV:-}" ]; then
        PYTHON="$VIRTUAL_ENV/bin/python"
    else
        if [ ! -x .venv/bin/python ]; then
            echo "making the project's virtual environment, .venv"
            python3 -m venv .venv
        fi
        # as activating it would: its commands first on the PATH
        export VIRTUAL_ENV="$PWD/.venv"
        export PATH="$VIRTUAL_ENV/bin:$PATH"
        PYTHON="$VIRTUAL_ENV/bin/python"
    fi
fi
export PIP_DISABLE_PIP_VERSION_CHECK=1
