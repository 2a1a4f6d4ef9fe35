"""Parity of curate's trainer with PyTorch/transformers, run by bench/train.sh.

1. curate trains a tiny GPT-2 for 2 steps (of a 4-step schedule) into checkpoint A, then
   resumes a copy for step 3 (checkpoint C, batch b3 dumped) and step 4 (batch b4 dumped),
   logging losses with 7 decimals.
2. Forward: A exported with `curate train export` and loaded with
   transformers.GPT2LMHeadModel.from_pretrained gives the loss on b3 that curate logged at step 3.
3. One optimizer step: from A's weights and AdamW state, torch.optim.AdamW (same learning rate,
   betas, eps, decay groups) after clip_grad_norm_(1.0) on b3 gives weights whose loss on b4 is
   the one curate logged at step 4; the weights are compared with checkpoint C's.
Usage: python train_parity.py CURATE SHARDS WORK"""
import json, os, shutil, subprocess, sys
import numpy as np
import torch
import torch.nn.functional as F
from safetensors.numpy import load_file
from transformers import GPT2LMHeadModel

curate, shards, work = sys.argv[1:4]
torch.set_num_threads(2)
for name in ("A", "B", "C", "hf", "b3.jsonl", "b4.jsonl"):
    path = os.path.join(work, name)
    shutil.rmtree(path, ignore_errors=True) if os.path.isdir(path) else (os.path.exists(path) and os.remove(path))
A, B, C, HF = (os.path.join(work, n) for n in ("A", "B", "C", "hf"))

def train(*args):
    out = subprocess.run([curate, "train", "--loss-digits", "7", *args], check=True, capture_output=True, text=True).stdout
    return {int(l.split()[1]): float(l.split("|")[1].split()[1]) for l in out.splitlines() if l.startswith("step ")}

common = ["--val-every", "1000", "--log-every", "1"]
train("--shards", shards, "--config", "tiny", "--steps", "4", "--stop-at", "2", "--out", A, "--seed", "7", *common)
shutil.copytree(A, B)
loss3 = train("--resume", "--out", B, "--stop-at", "3", "--dump-batches", os.path.join(work, "b3.jsonl"))[3]
shutil.copytree(B, C)
loss4 = train("--resume", "--out", B, "--stop-at", "4", "--dump-batches", os.path.join(work, "b4.jsonl"))[4]
subprocess.run([curate, "train", "export", A, "-o", HF], check=True)

def batch(name):
    line = json.loads(open(os.path.join(work, name)).readline())
    state = json.load(open(os.path.join(A, "trainer.json")))
    b, t = state["options"]["batch_size"], state["options"]["context"]
    return torch.tensor(line["inputs"]).view(b, t), torch.tensor(line["targets"]).view(b, t), line["lr"]

def loss(model, inputs, targets):
    logits = model(inputs).logits
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))

model = GPT2LMHeadModel.from_pretrained(HF)
model.train()  # dropout is 0; same graph as training
x3, y3, lr3 = batch("b3.jsonl")
x4, y4, _ = batch("b4.jsonl")
with torch.no_grad():
    torch_loss3 = loss(model, x3, y3).item()

state = json.load(open(os.path.join(A, "trainer.json")))
o = state["options"]
decay = [p for p in model.parameters() if p.dim() >= 2]
other = [p for p in model.parameters() if p.dim() < 2]
optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": o["weight_decay"]}, {"params": other, "weight_decay": 0.0}],
                              lr=lr3, betas=(o["beta1"], o["beta2"]), eps=o["epsilon"])
# AdamW state from checkpoint A: flat exp_avg / exp_avg_sq in the order of model.safetensors.
moments = load_file(os.path.join(A, "optimizer.safetensors"))
header_len = int.from_bytes(open(os.path.join(A, "model.safetensors"), "rb").read(8), "little")
header = json.loads(open(os.path.join(A, "model.safetensors"), "rb").read(8 + header_len)[8:])
names = sorted((k for k in header if k != "__metadata__"), key=lambda k: header[k]["data_offsets"][0])
params = dict(model.named_parameters())
offset = 0
for name in names:
    p = params[name]
    n = p.numel()
    optimizer.state[p] = {"step": torch.tensor(2.0),
                          "exp_avg": torch.from_numpy(moments["exp_avg"][offset:offset + n].reshape(p.shape).copy()),
                          "exp_avg_sq": torch.from_numpy(moments["exp_avg_sq"][offset:offset + n].reshape(p.shape).copy())}
    offset += n
assert offset == moments["exp_avg"].size, "layout mismatch"
optimizer.zero_grad()
loss(model, x3, y3).backward()
torch.nn.utils.clip_grad_norm_(model.parameters(), o["gradient_clip"])
optimizer.step()
with torch.no_grad():
    torch_loss4 = loss(model, x4, y4).item()
c = load_file(os.path.join(C, "model.safetensors"))
max_weight = max(float(np.abs(params[k].detach().numpy() - c[k]).max()) for k in names)
result = {"forward": {"curate": loss3, "transformers": torch_loss3, "diff": abs(loss3 - torch_loss3)},
          "after_one_step": {"curate": loss4, "torch": torch_loss4, "diff": abs(loss4 - torch_loss4)},
          "max_weight_diff_after_step": max_weight, "lr": lr3}
print(json.dumps(result, indent=1))
ok = result["forward"]["diff"] <= 1e-4 and result["after_one_step"]["diff"] <= 1e-4
print("parity", "PASS" if ok else "FAIL", "(tolerance 1e-4)")
import bench_results
for what, key, reference in (("loss of the exported model", "forward", "transformers"), ("loss after one AdamW step", "after_one_step", "torch")):
    bench_results.add("training (GPT-2 style model, CPU)", f"parity: {what}", "", "none", round(result[key]["curate"], 6),
                      f"PyTorch {torch.__version__} + transformers", round(result[key][reference], 6),
                      f"difference {result[key]['diff']:.2e} (tolerance 1e-4)")
sys.exit(0 if ok else 1)
