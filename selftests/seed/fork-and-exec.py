#!/usr/bin/python3
import os, sys

ret = os.fork()  # 새로운 프로세스 생성

if ret == 0:
    # 자식 프로세스에서 실행
    print("자식 프로세스: pid={}, 부모 프로세스 pid={}".format(os.getpid(), os.getppid()))

    # execve()를 호출하여 자식 프로세스를 새로운 프로그램으로 교체
    os.execve("/bin/echo", ["echo", "pid={}에서 안녕".format(os.getpid())], {})

    # execve()가 실행되면 아래 코드는 실행되지 않음
    sys.exit(0)
elif ret > 0:
    # 부모 프로세스에서 실행
    print("부모 프로세스: pid={}, 자식 프로세스 pid={}".format(os.getpid(), ret))
    sys.exit(0)  # 부모 프로세스 종료
