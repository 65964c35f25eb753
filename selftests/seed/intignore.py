#!/usr/bin/python3
import signal

# SIGINT(Ctrl+C)를 무시하도록 설정
signal.signal(signal.SIGINT, signal.SIG_IGN)

# 무한 루프
while True:
    pass
