# 2024-05-01 12:00:00 by RouterOS 7.14.3
# software id = TEST-0001
#
# model = RB5009UG+S+
/interface bridge
add name=bridge-lan
/ip address
add address=192.168.88.1/24 interface=bridge-lan network=192.168.88.0
/system identity
set name=fake-router
