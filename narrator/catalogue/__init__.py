"""Model catalogues and caches: the layer below the engines.

What a model is called, under what licence it comes, where its files live on
this machine and how they are fetched, without loading any of them. Engines
import this package (an engine's `pull` and `installed_models` are built on
it); nothing here imports an engine, so finding out what is installed never
drags in torch or ONNX Runtime.

    licences   ModelLicence, the licences narrator knows, consent
    records    PullResult and InstalledModel, what `narrator models` prints
    coqui      Coqui's model catalogue, its cache and its ModelManager
    hf_cache   the Hugging Face hub cache, read offline
"""
