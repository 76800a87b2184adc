#!/usr/bin/env python3
"""Turns a root filesystem tarball into a one-layer image archive (the `docker save` layout) that
`ctr images import` and Jib's `tar://` base image both read. No registry and no Docker involved.

Usage: oci-archive.py ROOTFS.tar OUT.tar --tag NAME:TAG [--tag ...] [--entrypoint JSON] [--cmd JSON]
                      [--env K=V ...] [--user U] [--workdir DIR] [--port N ...] [--label K=V ...]
"""
import argparse
import hashlib
import io
import json
import os
import tarfile

EPOCH = 0  # fixed times: the same rootfs gives the same image id


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def add_bytes(archive, name, data):
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), EPOCH, 0o644
    archive.addfile(info, io.BytesIO(data))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("rootfs")
    p.add_argument("out")
    p.add_argument("--tag", action="append", required=True)
    p.add_argument("--entrypoint", type=json.loads)
    p.add_argument("--cmd", type=json.loads)
    p.add_argument("--env", action="append", default=[])
    p.add_argument("--user")
    p.add_argument("--workdir")
    p.add_argument("--port", action="append", default=[])
    p.add_argument("--label", action="append", default=[])
    a = p.parse_args()

    layer_id = sha256_of(a.rootfs)
    config = {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", *a.env]}
    for key, value in (("Entrypoint", a.entrypoint), ("Cmd", a.cmd), ("User", a.user), ("WorkingDir", a.workdir)):
        if value is not None:
            config[key] = value
    if a.port:
        config["ExposedPorts"] = {f"{port}/tcp": {} for port in a.port}
    if a.label:
        config["Labels"] = dict(label.split("=", 1) for label in a.label)
    image = json.dumps({
        "architecture": "amd64", "os": "linux", "created": "1970-01-01T00:00:00Z", "config": config,
        "rootfs": {"type": "layers", "diff_ids": [f"sha256:{layer_id}"]},
        "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "hack/images (root filesystem)"}],
    }, sort_keys=True).encode()
    config_name = hashlib.sha256(image).hexdigest() + ".json"
    manifest = json.dumps([{"Config": config_name, "RepoTags": a.tag, "Layers": [f"{layer_id}/layer.tar"]}]).encode()

    tmp = a.out + ".tmp"
    with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as archive:
        add_bytes(archive, config_name, image)
        info = archive.gettarinfo(a.rootfs, arcname=f"{layer_id}/layer.tar")
        info.mtime, info.uid, info.gid, info.uname, info.gname = EPOCH, 0, 0, "", ""
        with open(a.rootfs, "rb") as f:
            archive.addfile(info, f)
        add_bytes(archive, "manifest.json", manifest)
    os.replace(tmp, a.out)
    print(f"{a.out}: {', '.join(a.tag)} (config sha256:{config_name[:-5]})")


if __name__ == "__main__":
    main()
