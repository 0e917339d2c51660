#!/bin/sh
# No real root: the e2e boot ends in the pre-mount hook.
root=hvdetect-e2e
rootok=1
