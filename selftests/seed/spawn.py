#!/usr/bin/python3
import os

# posix_spawn()을 사용하여 echo 명령어 실행
os.posix_spawn("/bin/echo", ["echo", "posix_spawn()로 생성되었습니다"], {})

print("echo 명령어를 생성했습니다")
