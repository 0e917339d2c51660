#!/bin/sh
echo "@@E2E HOOK-RETURNED" > /dev/console
. /e2e/report.sh
sleep 1
echo o > /proc/sysrq-trigger
sleep 30
