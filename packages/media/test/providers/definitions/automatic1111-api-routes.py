        self.add_api_route("/sdapi/v1/txt2img", self.text2imgapi,
                           methods=["POST"], response_model=models.TextToImageResponse)
        self.add_api_route("/sdapi/v1/img2img", self.img2imgapi,
                           methods=["POST"], response_model=models.ImageToImageResponse)
        self.add_api_route("/sdapi/v1/interrupt",
                           self.interruptapi, methods=["POST"])
    def text2imgapi(self, txt2imgreq: models.StableDiffusionTxt2ImgProcessingAPI):
    def img2imgapi(self, img2imgreq: models.StableDiffusionImg2ImgProcessingAPI):
    def interruptapi(self):
        shared.state.interrupt()

        return {}
