"""PyTorch reference for bench/train.sh: trains transformers' GPT2LMHeadModel (tanh GELU, no
dropout, tied head) with torch.optim.AdamW on random token windows, with the batch, context,
accumulation and clipping curate uses, and prints the training tokens per second as JSON.
Usage: python train_torch.py VOCAB LAYERS HEADS WIDTH CONTEXT BATCH ACCUMULATION STEPS THREADS"""
import json, sys, time
import torch
import torch.nn.functional as F
from transformers import GPT2Config, GPT2LMHeadModel

vocab, layers, heads, width, context, batch, accumulation, steps, threads = map(int, sys.argv[1:10])
torch.set_num_threads(threads)
torch.manual_seed(0)
config = GPT2Config(vocab_size=vocab, n_positions=context, n_embd=width, n_layer=layers, n_head=heads,
                    activation_function="gelu_new", resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0,
                    bos_token_id=vocab - 1, eos_token_id=vocab - 1)
model = GPT2LMHeadModel(config)
model.train()
decay = [p for p in model.parameters() if p.dim() >= 2]
other = [p for p in model.parameters() if p.dim() < 2]
optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": other, "weight_decay": 0.0}],
                              lr=1e-3, betas=(0.9, 0.95), eps=1e-8)
generator = torch.Generator().manual_seed(1)
data = torch.randint(0, vocab, (steps * accumulation, batch, context + 1), generator=generator)
start = time.perf_counter()
for step in range(steps):
    optimizer.zero_grad(set_to_none=True)
    for micro in range(accumulation):
        window = data[step * accumulation + micro]
        logits = model(window[:, :-1]).logits
        loss = F.cross_entropy(logits.reshape(-1, vocab), window[:, 1:].reshape(-1)) / accumulation
        loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
seconds = time.perf_counter() - start
tokens = steps * accumulation * batch * context
print(json.dumps({"tokens": tokens, "seconds": seconds, "tokens_per_second": tokens / seconds,
                  "torch": torch.__version__, "threads": torch.get_num_threads(),
                  "attention": model.config._attn_implementation}))
