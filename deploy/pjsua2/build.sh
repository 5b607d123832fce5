#!/bin/sh
# Build pjsua2's Python module from pjproject 2.15.1 with room for many calls per process (config_site.h), for
# Clearline's SIP call controller (docs/sip.md, "Calls per controller"). Needs git, gcc/g++, make, swig and the
# Python headers of the interpreter that runs Clearline:
#   apt-get install -y --no-install-recommends git build-essential swig python3-dev
#   deploy/pjsua2/build.sh /opt/clearline/pjsua2 /opt/clearline/.venv/bin/python
# Then run the controller with PYTHONPATH=/opt/clearline/pjsua2 (it shadows the PyPI wheel). 4 to 15 minutes
# on 2 cores; audio devices, video and every codec but G.711 are left out (the controller uses none of them).
set -eu
out=${1:?usage: build.sh OUTPUT_DIR PYTHON}
python=${2:?usage: build.sh OUTPUT_DIR PYTHON}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone --quiet --depth 1 --branch 2.15.1 https://github.com/pjsip/pjproject.git "$work/pjproject"
cd "$work/pjproject"
cp "$here/config_site.h" pjlib/include/pj/config_site.h
CFLAGS="-fPIC -O2" CXXFLAGS="-fPIC -O2" ./configure --disable-shared --disable-sound --disable-video \
    --enable-epoll --disable-ssl --disable-opus --disable-libwebrtc --disable-libyuv --disable-silk \
    --disable-bcg729 --disable-opencore-amr --disable-v4l2 --disable-openh264 --disable-ffmpeg --disable-sdl \
    --disable-speex-aec --disable-g7221-codec --disable-ilbc-codec --disable-gsm-codec --disable-g722-codec \
    --disable-l16-codec --disable-speex-codec --disable-upnp >configure.log
make dep >/dev/null
make -j"$(nproc)" lib >/dev/null
cd pjsip-apps/src/swig/python
make PYTHON="$python" >/dev/null
mkdir -p "$out"
cp build/lib*/pjsua2.py build/lib*/_pjsua2*.so "$out"/
cd /  # not the build folder, whose own pjsua2.py would be imported instead
PYTHONPATH="$out" "$python" -c 'import pjsua2; print("pjsua2 built:", pjsua2.__file__)'
